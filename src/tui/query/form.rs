//! The query form: which question, its fields and what is typed in them, and the
//! question they make for `analysis`. No terminal here.

use crate::analysis::{Ask, Filter};
use crate::catalog::AccessLevel;
use crate::org::{Entity, NameLookup, Org};
use crate::tui::nodes::Node;

/// The four questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QueryKind {
    #[default]
    Can,
    WhoCan,
    WhatCan,
    Paths,
}

impl QueryKind {
    pub const ALL: [QueryKind; 4] = [
        QueryKind::Can,
        QueryKind::WhoCan,
        QueryKind::WhatCan,
        QueryKind::Paths,
    ];

    /// The palette's name: `who-can`.
    pub fn name(self) -> &'static str {
        match self {
            QueryKind::Can => "can",
            QueryKind::WhoCan => "who-can",
            QueryKind::WhatCan => "what-can",
            QueryKind::Paths => "paths",
        }
    }

    /// The question a key's action opens: `Can`, `WhoCan`, `WhatCan`, else `Paths`.
    pub fn asked_by(action: crate::tui::commands::Action) -> QueryKind {
        use crate::tui::commands::Action;
        match action {
            Action::Can => QueryKind::Can,
            Action::WhoCan => QueryKind::WhoCan,
            Action::WhatCan => QueryKind::WhatCan,
            _ => QueryKind::Paths,
        }
    }

    pub fn from_name(name: &str) -> Option<QueryKind> {
        QueryKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The question, in words.
    pub fn question(self) -> &'static str {
        match self {
            QueryKind::Can => "can this principal do this action on this resource, and why?",
            QueryKind::WhoCan => "who can do this action on this resource?",
            QueryKind::WhatCan => "what can this principal do?",
            QueryKind::Paths => "which roles can this principal reach, or who reaches this role?",
        }
    }

    /// The form's fields, in order.
    pub fn fields(self) -> &'static [Field] {
        use Field::*;
        match self {
            QueryKind::Can => &[
                Principal,
                Action,
                Resource,
                ResourceAccount,
                SessionPolicy,
                Context,
            ],
            QueryKind::WhoCan => &[Action, Resource, ResourceAccount, Context],
            QueryKind::WhatCan => &[Principal, Compare, Service, Context],
            QueryKind::Paths => &[Principal, Role, Context],
        }
    }
}

/// A field of the form. Kinds share fields: switching from `can` to `who-can` keeps
/// the action and the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Principal,
    Action,
    Resource,
    /// what-can's filter: a service prefix and an access level.
    Service,
    /// paths' target.
    Role,
    /// `KEY=VALUE` pairs.
    Context,
    /// The resource's account where neither the org nor the ARN says: an account id
    /// or a unique account name.
    ResourceAccount,
    /// A JSON file with the session policy passed when the role was assumed.
    SessionPolicy,
    /// what-can: another principal to compare with.
    Compare,
}

impl Field {
    const COUNT: usize = 9;

    pub const ALL: [Field; Field::COUNT] = [
        Field::Principal,
        Field::Action,
        Field::Resource,
        Field::Service,
        Field::Role,
        Field::Context,
        Field::ResourceAccount,
        Field::SessionPolicy,
        Field::Compare,
    ];

    fn index(self) -> usize {
        self as usize
    }

    pub const fn label(self) -> &'static str {
        match self {
            Field::Principal => "Principal",
            Field::Action => "Action",
            Field::Resource => "Resource",
            Field::Service => "Only",
            Field::Role => "To role",
            Field::Context => "Context",
            Field::ResourceAccount => "Resource account",
            Field::SessionPolicy => "Session policy",
            Field::Compare => "Compare with",
        }
    }

    /// The palette's option for the field, as on the command line.
    /// `:can dana s3:GetObject * --session-policy p.json`, `:paths --to Admin`.
    pub fn flag(self) -> Option<&'static str> {
        match self {
            Field::ResourceAccount => Some("--resource-account"),
            Field::SessionPolicy => Some("--session-policy"),
            Field::Compare => Some("--compare"),
            Field::Role => Some("--to"),
            _ => None,
        }
    }

    /// Whether the palette takes the field in order, without its option:
    /// `:paths dana Admin` as well as `:paths dana --to Admin`.
    pub fn positional(self) -> bool {
        matches!(
            self,
            Field::Principal | Field::Action | Field::Resource | Field::Service | Field::Role
        )
    }

    /// What to type, shown while the field is empty.
    pub fn placeholder(self) -> &'static str {
        match self {
            Field::Principal => "a user or role: unique name or ARN",
            Field::Action => "service:Action, e.g. s3:GetObject",
            Field::Resource => "an ARN, or *",
            Field::Service => "optional: a service and an access level, e.g. `s3 write`",
            Field::Role => {
                "optional: a role to reach (the shortest path to it; with no principal, who reaches it)"
            }
            Field::Context => "optional: KEY=VALUE ..., e.g. aws:MultiFactorAuthPresent=true",
            Field::ResourceAccount => {
                "optional: the resource's account, id or name (S3 ARNs name none)"
            }
            Field::SessionPolicy => {
                "optional: a JSON file, the session policy of the role's session"
            }
            Field::Compare => "optional: another user or role, to compare side by side",
        }
    }

    pub fn required(self) -> bool {
        matches!(self, Field::Principal | Field::Action | Field::Resource)
    }

    /// What an option's value is, for help and errors: `ID|NAME`.
    pub fn flag_value(self) -> &'static str {
        match self {
            Field::ResourceAccount => "ID|NAME",
            Field::SessionPolicy => "FILE",
            Field::Compare => "WHO",
            Field::Role => "ROLE",
            _ => "",
        }
    }
}

/// Context keys and their values, as `analysis` takes them.
pub type ContextPairs = Vec<(String, Vec<String>)>;

/// A question ready for `analysis`. What needs the org or the disk (the resource
/// account's name, the session policy's file) is as typed: the query worker reads
/// it ([`super::build::run`]), and its errors show in the pane.
#[derive(Debug, Clone)]
pub enum Query {
    /// `ask.resource_account` as typed: an account id or name.
    Can {
        principal: String,
        ask: Ask,
        /// The session policy's file, as typed.
        session_policy: Option<String>,
    },
    /// `ask.resource_account` as typed: an account id or name.
    WhoCan { ask: Ask },
    WhatCan {
        principal: String,
        filter: Filter,
        context: ContextPairs,
        /// Another principal to compare with.
        compare: Option<String>,
    },
    /// Without `from`: every principal that reaches `to`.
    Paths {
        from: Option<String>,
        to: Option<String>,
        context: ContextPairs,
    },
}

impl Query {
    pub fn kind(&self) -> QueryKind {
        match self {
            Query::Can { .. } => QueryKind::Can,
            Query::WhoCan { .. } => QueryKind::WhoCan,
            Query::WhatCan { .. } => QueryKind::WhatCan,
            Query::Paths { .. } => QueryKind::Paths,
        }
    }
}

/// The form's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pub kind: QueryKind,
    values: [String; Field::COUNT],
    /// The focused field, as a position in `kind.fields()`.
    pub field: usize,
}

impl Form {
    pub fn new(kind: QueryKind) -> Form {
        Form {
            kind,
            ..Form::default()
        }
    }

    pub fn fields(&self) -> &'static [Field] {
        self.kind.fields()
    }

    pub fn focused(&self) -> Field {
        let fields = self.fields();
        fields[self.field.min(fields.len() - 1)]
    }

    pub fn focus(&mut self, f: Field) {
        if let Some(i) = self.fields().iter().position(|&x| x == f) {
            self.field = i;
        }
    }

    pub fn value(&self, f: Field) -> &str {
        &self.values[f.index()]
    }

    pub fn value_mut(&mut self, f: Field) -> &mut String {
        &mut self.values[f.index()]
    }

    pub fn set(&mut self, f: Field, value: impl Into<String>) {
        self.values[f.index()] = value.into();
    }

    /// Moves to the next (or previous) field; false when it would leave the form
    /// (past the last field, or before the first).
    pub fn next_field(&mut self, forward: bool) -> bool {
        let n = self.fields().len();
        match (forward, self.field) {
            (true, i) if i + 1 < n => self.field = i + 1,
            (false, i) if i > 0 => self.field = i - 1,
            _ => return false,
        }
        true
    }

    /// Another question, keeping what the fields hold.
    pub fn set_kind(&mut self, kind: QueryKind) {
        let was = self.focused();
        self.kind = kind;
        self.field = 0;
        self.focus(was);
    }

    /// Whether two forms ask the same question (whatever field has the focus).
    pub fn same_question(&self, other: &Form) -> bool {
        self.kind == other.kind
            && self
                .fields()
                .iter()
                .all(|&f| self.value(f).trim() == other.value(f).trim())
    }

    /// The first required field left empty. `paths` needs a principal or a role:
    /// with only the role it asks who reaches it.
    pub fn first_missing(&self) -> Option<Field> {
        let filled = |f: Field| !self.value(f).trim().is_empty();
        self.fields().iter().copied().find(|&f| {
            f.required()
                && !filled(f)
                && !(self.kind == QueryKind::Paths && f == Field::Principal && filled(Field::Role))
        })
    }

    /// Fills the fields from what the tree has selected: a user or role is the
    /// principal; a resource, or a role for who-can, is the resource.
    pub fn prefill(&mut self, org: &Org, node: Node) {
        let has = |f: Field| self.fields().contains(&f);
        match node {
            // `p` on a role: who reaches it.
            Node::Role(r) if self.kind == QueryKind::Paths => {
                self.set(Field::Principal, "");
                self.set(Field::Role, principal_text(org, Entity::Role(r)));
            }
            Node::User(_) | Node::Role(_) if has(Field::Principal) => {
                let e = node.entity().unwrap_or(Entity::Root);
                self.set(Field::Principal, principal_text(org, e));
            }
            Node::Role(r) if has(Field::Resource) => {
                self.set(Field::Resource, org.role(r).arn.to_string());
                if self.value(Field::Action).trim().is_empty() {
                    self.set(Field::Action, "sts:AssumeRole");
                }
            }
            Node::Resource(r) if has(Field::Resource) => {
                self.set(Field::Resource, org.resource(r).arn.to_string());
            }
            _ => {}
        }
    }

    /// Fills the fields from the palette's arguments: the kind's fields in order
    /// (but the context and the optional fields with an option), then `KEY=VALUE`
    /// pairs for the context, and options as on the command line (`--compare eve` or
    /// `--compare=eve`).
    /// `:can dana sts:AssumeRole arn:aws:iam::222222222222:role/SecurityAuditor`.
    /// An option the question does not take, or without its value, is an error; the
    /// fields keep what was read.
    pub fn fill_args(&mut self, args: &str) -> Result<(), String> {
        let mut positional = self.fields().iter().copied().filter(|f| f.positional());
        let mut context = Vec::new();
        let words: Vec<&str> = args.split_whitespace().collect();
        let mut error = None;
        let mut i = 0;
        while i < words.len() {
            let w = words[i];
            if w.starts_with("--") {
                let (name, inline) = match w.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (w, None),
                };
                match self.option(name) {
                    Ok(f) => {
                        let value = inline.or_else(|| {
                            let next = words.get(i + 1).filter(|v| !v.starts_with("--"));
                            i += usize::from(next.is_some());
                            next.copied()
                        });
                        match value.filter(|v| !v.is_empty()) {
                            Some(v) => self.set(f, v),
                            None => {
                                error.get_or_insert(format!(
                                    "`{name}` needs a value: {name} {}",
                                    f.flag_value()
                                ));
                            }
                        }
                    }
                    Err(e) => {
                        error.get_or_insert(e);
                    }
                }
            } else if w.contains('=') && !w.starts_with("arn:") {
                context.push(w);
            } else if let Some(f) = positional.next() {
                if f == Field::Service {
                    // `s3 write`: the service and its level share the field.
                    let level = words
                        .get(i + 1)
                        .filter(|l| l.parse::<AccessLevel>().is_ok() && !l.contains('='));
                    match level {
                        Some(l) => {
                            self.set(f, format!("{w} {l}"));
                            i += 1;
                        }
                        None => self.set(f, w),
                    }
                } else {
                    self.set(f, w);
                }
            }
            i += 1;
        }
        if !context.is_empty() {
            self.set(Field::Context, context.join(" "));
        }
        error.map_or(Ok(()), Err)
    }

    /// The field an option (`--compare`) sets, if this question has it.
    fn option(&self, name: &str) -> Result<Field, String> {
        let options: Vec<&str> = self.fields().iter().filter_map(|f| f.flag()).collect();
        let takes = if options.is_empty() {
            format!("{} takes no option", self.kind.name())
        } else {
            format!("{} takes {}", self.kind.name(), options.join(", "))
        };
        match Field::ALL.into_iter().find(|f| f.flag() == Some(name)) {
            Some(f) if self.fields().contains(&f) => Ok(f),
            Some(_) => Err(format!("`{name}` is not for this question: {takes}")),
            None => Err(format!("unknown option `{name}`: {takes}")),
        }
    }

    /// The question, or what is missing or wrong.
    pub fn query(&self) -> Result<Query, String> {
        if let Some(f) = self.first_missing() {
            return Err(format!("give the {}", f.label().to_ascii_lowercase()));
        }
        let v = |f: Field| self.value(f).trim().to_string();
        let optional = |f: Field| Some(v(f)).filter(|t| !t.is_empty());
        let context = parse_context(self.value(Field::Context))?;
        let ask = || Ask {
            action: v(Field::Action),
            resource: v(Field::Resource),
            resource_account: optional(Field::ResourceAccount),
            context: context.clone(),
            session_policy: None,
            session_name: None,
            caller_policies: Vec::new(),
        };
        Ok(match self.kind {
            QueryKind::Can => Query::Can {
                principal: v(Field::Principal),
                ask: ask(),
                session_policy: optional(Field::SessionPolicy),
            },
            QueryKind::WhoCan => Query::WhoCan { ask: ask() },
            QueryKind::WhatCan => Query::WhatCan {
                principal: v(Field::Principal),
                filter: parse_filter(self.value(Field::Service))?,
                context,
                compare: optional(Field::Compare),
            },
            QueryKind::Paths => Query::Paths {
                from: optional(Field::Principal),
                to: optional(Field::Role),
                context,
            },
        })
    }
}

/// How a principal is written in a field: its name when no other user or role has
/// it, else its ARN.
pub fn principal_text(org: &Org, e: Entity) -> String {
    let name = org.name(e);
    let unique = match org.by_name(name) {
        NameLookup::Unique(_) => true,
        NameLookup::Ambiguous(hits) => {
            hits.iter()
                .filter(|h| matches!(h, Entity::User(_) | Entity::Role(_)))
                .count()
                == 1
        }
        NameLookup::NotFound => false,
    };
    match org.arn(e) {
        Some(arn) if !unique => arn.to_string(),
        _ => name.to_string(),
    }
}

/// `aws:SourceIp=10.1.2.3 aws:MultiFactorAuthPresent=true`: pairs separated by
/// spaces; a key given twice has several values.
pub fn parse_context(text: &str) -> Result<ContextPairs, String> {
    let mut out: ContextPairs = Vec::new();
    for pair in text.split_whitespace() {
        let (k, v) = pair
            .split_once('=')
            .filter(|(k, _)| !k.is_empty())
            .ok_or_else(|| {
                format!("context `{pair}`: expected KEY=VALUE, e.g. aws:SourceIp=10.1.2.3")
            })?;
        match out.iter_mut().find(|(key, _)| key.eq_ignore_ascii_case(k)) {
            Some((_, values)) => values.push(v.to_string()),
            None => out.push((k.to_string(), vec![v.to_string()])),
        }
    }
    Ok(out)
}

/// `s3`, `s3 write`, `write`: a service prefix and an access level, each optional.
fn parse_filter(text: &str) -> Result<Filter, String> {
    let mut filter = Filter::default();
    for word in text.split_whitespace() {
        if let Ok(level) = word.parse::<AccessLevel>() {
            filter.level = Some(level);
        } else if filter.service.is_none() && !word.contains(':') {
            filter.service = Some(word.to_ascii_lowercase());
        } else {
            return Err(format!(
                "`{word}`: give a service prefix (`s3`) and an access level (list, read, write, permissions, tagging)"
            ));
        }
    }
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::load_builtin_acme;

    #[test]
    fn each_kind_has_its_fields_and_keeps_the_others() {
        let mut f = Form::new(QueryKind::Can);
        f.set(Field::Action, "s3:GetObject");
        f.set(Field::Resource, "*");
        f.focus(Field::Resource);
        f.set_kind(QueryKind::WhoCan);
        assert_eq!(
            f.fields(),
            [
                Field::Action,
                Field::Resource,
                Field::ResourceAccount,
                Field::Context
            ]
        );
        assert_eq!(f.focused(), Field::Resource, "the focus stays on its field");
        assert_eq!(f.value(Field::Action), "s3:GetObject");
        let before = f.clone();
        f.set_kind(QueryKind::Paths);
        assert_eq!(
            f.focused(),
            Field::Principal,
            "no resource: the first field"
        );
        assert!(!f.same_question(&before));
        let mut g = f.clone();
        g.field = 2;
        g.set(Field::Action, "other");
        assert!(
            f.same_question(&g),
            "the focus and other kinds' fields do not count"
        );
        g.set(Field::Principal, "x");
        assert!(!f.same_question(&g));
    }

    #[test]
    fn fields_move_and_stop_at_the_ends() {
        let mut f = Form::new(QueryKind::Can);
        assert!(!f.next_field(false));
        assert!(f.next_field(true));
        assert_eq!(f.focused(), Field::Action);
        f.field = 5;
        assert!(!f.next_field(true), "past the last field");
        assert_eq!(f.focused(), Field::Context);
    }

    #[test]
    fn palette_arguments_fill_fields_in_order() {
        let mut f = Form::new(QueryKind::Can);
        f.fill_args(
            "dana sts:AssumeRole arn:aws:iam::222222222222:role/SecurityAuditor aws:SourceIp=10.0.0.1",
        )
        .unwrap();
        assert_eq!(f.value(Field::Principal), "dana");
        assert_eq!(f.value(Field::Action), "sts:AssumeRole");
        assert_eq!(
            f.value(Field::Resource),
            "arn:aws:iam::222222222222:role/SecurityAuditor"
        );
        assert_eq!(f.value(Field::Context), "aws:SourceIp=10.0.0.1");
        assert_eq!(f.first_missing(), None);
        let mut f = Form::new(QueryKind::WhatCan);
        f.fill_args("WebDeployer s3 write").unwrap();
        assert_eq!(f.value(Field::Service), "s3 write");
        let mut f = Form::new(QueryKind::WhoCan);
        f.fill_args("s3:GetObject").unwrap();
        assert_eq!(f.first_missing(), Some(Field::Resource));
    }

    #[test]
    fn options_fill_the_fields_that_are_not_in_order() {
        let mut f = Form::new(QueryKind::Can);
        f.fill_args(
            "--session-policy ./sp.json dana s3:GetObject arn:aws:s3:::b/k \
             --resource-account=security aws:SourceIp=10.0.0.1",
        )
        .unwrap();
        assert_eq!(f.value(Field::Principal), "dana");
        assert_eq!(f.value(Field::Resource), "arn:aws:s3:::b/k");
        assert_eq!(f.value(Field::ResourceAccount), "security");
        assert_eq!(f.value(Field::SessionPolicy), "./sp.json");
        assert_eq!(f.value(Field::Context), "aws:SourceIp=10.0.0.1");
        let Ok(Query::Can {
            ask,
            session_policy,
            ..
        }) = f.query()
        else {
            panic!("a can question")
        };
        assert_eq!(
            ask.resource_account.as_deref(),
            Some("security"),
            "as typed"
        );
        assert_eq!(session_policy.as_deref(), Some("./sp.json"));

        // what-can: `s3` is still the service, not the principal to compare with.
        let mut f = Form::new(QueryKind::WhatCan);
        f.fill_args("dana --compare eve s3 write").unwrap();
        assert_eq!(f.value(Field::Compare), "eve");
        assert_eq!(f.value(Field::Service), "s3 write");
        let Ok(Query::WhatCan { compare, .. }) = f.query() else {
            panic!("a what-can question")
        };
        assert_eq!(compare.as_deref(), Some("eve"));

        // What a question does not take, or an option without its value.
        let mut f = Form::new(QueryKind::WhoCan);
        assert_eq!(
            f.fill_args("s3:GetObject * --session-policy p.json")
                .unwrap_err(),
            "`--session-policy` is not for this question: who-can takes --resource-account"
        );
        assert_eq!(f.value(Field::Resource), "*", "what was read is kept");
        assert_eq!(
            f.fill_args("s3:GetObject * --resource-account")
                .unwrap_err(),
            "`--resource-account` needs a value: --resource-account ID|NAME"
        );
        assert_eq!(
            f.fill_args("--resource-account --compare x").unwrap_err(),
            "`--resource-account` needs a value: --resource-account ID|NAME",
            "an option is not a value"
        );
        let mut f = Form::new(QueryKind::WhatCan);
        assert_eq!(
            f.fill_args("dana --to x").unwrap_err(),
            "`--to` is not for this question: what-can takes --compare"
        );
        // paths takes its role in order or after `--to`; alone, it asks who reaches it.
        let mut f = Form::new(QueryKind::Paths);
        f.fill_args("--to Admin").unwrap();
        assert_eq!(
            (f.value(Field::Principal), f.value(Field::Role)),
            ("", "Admin")
        );
        assert_eq!(f.first_missing(), None);
        f.fill_args("dana Admin").unwrap();
        assert_eq!(
            (f.value(Field::Principal), f.value(Field::Role)),
            ("dana", "Admin")
        );
    }

    #[test]
    fn optional_fields_say_so_and_come_after_the_required_ones() {
        for kind in QueryKind::ALL {
            let fields = kind.fields();
            let first_optional = fields.iter().position(|f| !f.required());
            if let Some(i) = first_optional {
                assert!(fields[i..].iter().all(|f| !f.required()), "{kind:?}");
            }
            assert_eq!(fields.last(), Some(&Field::Context), "{kind:?}");
            for f in fields {
                assert_eq!(
                    f.placeholder().starts_with("optional: "),
                    !f.required(),
                    "{f:?}"
                );
            }
        }
        assert_eq!(
            QueryKind::Can.fields(),
            [
                Field::Principal,
                Field::Action,
                Field::Resource,
                Field::ResourceAccount,
                Field::SessionPolicy,
                Field::Context
            ]
        );
    }

    #[test]
    fn a_form_becomes_a_question_or_says_what_is_missing() {
        let mut f = Form::new(QueryKind::Can);
        assert_eq!(f.query().unwrap_err(), "give the principal");
        f.fill_args("dana s3:GetObject *").unwrap();
        f.set(
            Field::Context,
            "aws:SourceIp=10.0.0.1 aws:SourceIp=10.0.0.2 mfa",
        );
        assert!(
            f.query()
                .unwrap_err()
                .contains("context `mfa`: expected KEY=VALUE")
        );
        f.set(
            Field::Context,
            "aws:SourceIp=10.0.0.1 AWS:SOURCEIP=10.0.0.2",
        );
        let Ok(Query::Can {
            principal,
            ask,
            session_policy: None,
        }) = f.query()
        else {
            panic!("a can question")
        };
        assert_eq!(principal, "dana");
        assert_eq!(ask.action, "s3:GetObject");
        assert_eq!(ask.resource_account, None, "an optional field left empty");
        assert_eq!(
            ask.context,
            [(
                "aws:SourceIp".to_string(),
                vec!["10.0.0.1".to_string(), "10.0.0.2".to_string()]
            )]
        );
        f.set_kind(QueryKind::WhatCan);
        f.set(Field::Service, "S3 permissions");
        let Ok(Query::WhatCan {
            filter,
            compare: None,
            ..
        }) = f.query()
        else {
            panic!("a what-can question")
        };
        assert_eq!(filter.service.as_deref(), Some("s3"));
        assert_eq!(filter.level, Some(AccessLevel::PermissionsManagement));
        f.set(Field::Service, "s3 ec2");
        assert!(f.query().is_err());
        f.set_kind(QueryKind::Paths);
        let Ok(Query::Paths { to, .. }) = f.query() else {
            panic!("a paths question")
        };
        assert_eq!(to, None, "no target");
    }

    #[test]
    fn the_selection_prefills() {
        let org = load_builtin_acme();
        let node = |name: &str| match org.by_name(name) {
            NameLookup::Unique(e) => crate::tui::nodes::OrgTree::new(&org).node_of(e),
            other => panic!("{name}: {other:?}"),
        };
        let mut f = Form::new(QueryKind::Can);
        f.prefill(&org, node("dana"));
        assert_eq!(f.value(Field::Principal), "dana");
        f.prefill(&org, node("acme-public-website"));
        assert_eq!(f.value(Field::Resource), "arn:aws:s3:::acme-public-website");
        assert_eq!(f.value(Field::Principal), "dana", "kept");
        let mut f = Form::new(QueryKind::WhoCan);
        f.prefill(&org, node("OrgSecurityAdmin"));
        assert_eq!(
            f.value(Field::Resource),
            "arn:aws:iam::222222222222:role/OrgSecurityAdmin"
        );
        assert_eq!(f.value(Field::Action), "sts:AssumeRole");
    }
}
