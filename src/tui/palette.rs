//! The `:` command palette: `:account prod-app`, `:role Deploy`, `:policy
//! FullAWSAccess`, `:help`, `:quit`, with completion of commands and names.

use super::commands::{PALETTE, PaletteCommand};
use super::nodes::Kind;
use super::query::form::{Field, QueryKind};
use super::search::Matches;

/// The palette's state.
#[derive(Debug, Clone, Default)]
pub struct Palette {
    pub input: String,
    /// Name candidates for the argument.
    pub matches: Matches,
    /// The selected command while the command word is typed.
    pub selected: usize,
}

/// The typed line, split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed<'a> {
    pub word: &'a str,
    /// `None` while no space follows the command word.
    pub arg: Option<&'a str>,
}

pub fn parse(input: &str) -> Parsed<'_> {
    let input = input.trim_start();
    match input.split_once(char::is_whitespace) {
        Some((word, rest)) => Parsed {
            word,
            arg: Some(rest.trim_start()),
        },
        None => Parsed {
            word: input,
            arg: None,
        },
    }
}

/// The commands whose name starts with `word`, in the palette's order.
pub fn matching_commands(word: &str) -> Vec<&'static PaletteCommand> {
    let w = word.to_ascii_lowercase();
    PALETTE.iter().filter(|c| c.name.starts_with(&w)).collect()
}

/// The command a word names: its full name or a prefix only it has.
pub fn resolve(word: &str) -> Option<&'static PaletteCommand> {
    let w = word.to_ascii_lowercase();
    if let Some(c) = PALETTE.iter().find(|c| c.name == w) {
        return Some(c);
    }
    match matching_commands(word).as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// The kind of thing a command's argument names.
pub fn arg_kind(c: &PaletteCommand) -> Option<Kind> {
    Some(match c.name {
        "account" => Kind::Account,
        "ou" => Kind::Ou,
        "user" => Kind::User,
        "group" => Kind::Group,
        "role" => Kind::Role,
        "policy" => Kind::Policy,
        "resource" => Kind::Resource,
        _ => return None,
    })
}

/// Which field of a question the word being typed fills, as the form reads the
/// arguments ([`Form::fill_args`](super::query::form::Form::fill_args)): the next
/// field in order, or the field of the option just before it. Also the word, and
/// where it starts in `args`. `None` for a context pair or an option name.
pub fn question_slot(kind: QueryKind, args: &str) -> Option<(Field, &str, usize)> {
    let start = args.rfind(char::is_whitespace).map_or(0, |i| {
        i + args[i..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &args[start..];
    let before: Vec<&str> = args[..start].split_whitespace().collect();
    let mut positional = kind.fields().iter().copied().filter(|f| f.positional());
    let option_field = |w: &str| {
        Field::ALL
            .into_iter()
            .find(|f| f.flag() == Some(w) && kind.fields().contains(f))
    };
    let mut i = 0;
    let mut pending = None;
    while i < before.len() {
        let w = before[i];
        if let Some(f) = option_field(w) {
            if before.get(i + 1).is_none() {
                pending = Some(f);
            }
            i += 2;
            continue;
        }
        let context_pair = w.contains('=') && !w.starts_with("arn:");
        if !context_pair && !w.starts_with("--") {
            let f = positional.next();
            // `s3 write`: the service and its level share one field.
            if f == Some(Field::Service)
                && before
                    .get(i + 1)
                    .is_some_and(|l| l.parse::<crate::catalog::AccessLevel>().is_ok())
            {
                i += 1;
            }
        }
        i += 1;
    }
    if word.starts_with("--") || (word.contains('=') && !word.starts_with("arn:")) {
        return None;
    }
    let field = pending.or_else(|| positional.next())?;
    Some((field, word, start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_typed_fills_the_field_the_form_would_give_it() {
        let slot = |kind, args| question_slot(kind, args);
        assert_eq!(
            slot(QueryKind::Can, "da"),
            Some((Field::Principal, "da", 0))
        );
        assert_eq!(
            slot(QueryKind::Can, "dana sts:Ass"),
            Some((Field::Action, "sts:Ass", 5))
        );
        assert_eq!(
            slot(QueryKind::Can, "dana sts:AssumeRole aws:x=1 Sec"),
            Some((Field::Resource, "Sec", 28))
        );
        assert_eq!(
            slot(QueryKind::WhatCan, "dana --compare e"),
            Some((Field::Compare, "e", 15))
        );
        assert_eq!(
            slot(QueryKind::Paths, "--to Org"),
            Some((Field::Role, "Org", 5))
        );
        assert_eq!(slot(QueryKind::Paths, "dana "), Some((Field::Role, "", 5)));
        assert_eq!(slot(QueryKind::WhoCan, "s3:GetObject aws:x="), None);
        assert_eq!(
            slot(QueryKind::WhatCan, "dana s3 write x"),
            None,
            "no field left"
        );
    }

    #[test]
    fn lines_split_into_command_and_argument() {
        assert_eq!(
            parse("role Deploy"),
            Parsed {
                word: "role",
                arg: Some("Deploy")
            }
        );
        assert_eq!(
            parse("  acc"),
            Parsed {
                word: "acc",
                arg: None
            }
        );
        assert_eq!(
            parse("role "),
            Parsed {
                word: "role",
                arg: Some("")
            }
        );
        assert_eq!(
            parse("policy Full AWS"),
            Parsed {
                word: "policy",
                arg: Some("Full AWS")
            }
        );
    }

    #[test]
    fn commands_resolve_by_unique_prefix() {
        assert_eq!(resolve("acc").map(|c| c.name), Some("account"));
        assert_eq!(resolve("r").map(|c| c.name), None, "role, resource, root");
        assert_eq!(resolve("ro").map(|c| c.name), None, "role, root");
        assert_eq!(resolve("rol").map(|c| c.name), Some("role"));
        assert_eq!(resolve("ROLE").map(|c| c.name), Some("role"));
        assert_eq!(resolve("q").map(|c| c.name), Some("quit"));
        assert!(resolve("zap").is_none());
        assert_eq!(matching_commands("").len(), PALETTE.len());
        assert_eq!(arg_kind(resolve("policy").unwrap()), Some(Kind::Policy));
        assert_eq!(arg_kind(resolve("help").unwrap()), None);
    }
}
