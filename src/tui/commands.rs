//! Every command of the UI, declared once: the hint bar, the `?` help popup and the
//! keymap file all read this list (as gitui's `CommandInfo`).

/// Where the keyboard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// The organization tree (left pane).
    Tree,
    /// The details tabs (right pane).
    Details,
    /// The `/` fuzzy filter.
    Filter,
    /// The `:` command palette.
    Palette,
    /// The `?` help popup.
    Help,
    /// The query pane's form.
    Query,
    /// The query pane while a question runs.
    QueryRunning,
    /// The query pane's answer.
    Answer,
    /// The answer's filter line.
    AnswerFilter,
    /// The list of problems the organization was opened with.
    Problems,
    /// The lesson pane.
    Lesson,
    /// The menu of changes that can be made on a node.
    ChangeMenu,
    /// The in-app policy editor.
    Editor,
    /// The scenario pane: the changes made so far.
    Scenario,
    /// The what-if view: the diff for the selected node.
    WhatIf,
    /// The organization's findings.
    Findings,
    /// The findings' filter line.
    FindingsFilter,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Tree => "tree",
            Context::Details => "details",
            Context::Filter => "filter",
            Context::Palette => "command palette",
            Context::Help => "help",
            Context::Query => "query form",
            Context::QueryRunning => "running query",
            Context::Answer => "answer",
            Context::AnswerFilter => "answer filter",
            Context::Problems => "problems list",
            Context::Lesson => "lesson",
            Context::ChangeMenu => "change menu",
            Context::Editor => "policy editor",
            Context::Scenario => "scenario",
            Context::WhatIf => "what if",
            Context::Findings => "findings list",
            Context::FindingsFilter => "findings filter",
        }
    }
}

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Up,
    Down,
    Left,
    Right,
    Toggle,
    Top,
    Bottom,
    PageUp,
    PageDown,
    NextFocus,
    PrevFocus,
    TabOverview,
    TabPolicies,
    TabOrgPolicies,
    TabRelated,
    TabJson,
    Filter,
    Palette,
    Help,
    Back,
    Forward,
    Copy,
    Quit,
    /// Leave a popup or the details pane.
    Cancel,
    /// Take the selected match or run the typed command.
    Accept,
    /// Complete the palette's command or argument.
    Complete,
    NextItem,
    PrevItem,
    /// Ask: can the principal do the action on the resource?
    Can,
    WhoCan,
    WhatCan,
    Paths,
    /// Show the query pane as it was left.
    LastAnswer,
    /// List the problems the organization was opened with.
    Problems,
    /// Give the lesson pane the keyboard, or take it back.
    Lesson,
    /// A hint for the lesson's step (again: a stronger one).
    Hint,
    PredictAllowed,
    PredictImplicit,
    PredictExplicit,
    /// Start the lesson again.
    ResetLesson,
    /// Make a change on the selected node (what if).
    Change,
    /// Edit the selected policy in `$EDITOR`.
    EditExternal,
    /// Take back the scenario's last change.
    Undo,
    Redo,
    /// Show the scenario's changes.
    ScenarioPane,
    /// Show who gains and who loses what under the selected node.
    WhatIf,
    /// Choose the access levels the what-if diff asks.
    WhatIfLevels,
    /// Keep the edited policy (the in-app editor).
    SaveEdit,
    /// Go on editing the policy in `$EDITOR` (from the in-app editor).
    EditorExternal,
    /// List the organization's findings.
    Findings,
    /// Narrow the findings to a severity and above (cycles).
    FindingsSeverity,
    /// Narrow the findings to a kind (cycles).
    FindingsKind,
    /// Narrow the findings to an Access Analyzer grade (cycles).
    FindingsGrade,
    /// Narrow the findings to the selected node's subtree, or widen them again.
    FindingsUnder,
    /// Sort the findings by severity, node or rule (cycles).
    FindingsOrder,
}

/// Every action with its name in the keymap file and its default keys.
pub const ACTIONS: &[(Action, &str, &[&str])] = &[
    (Action::Up, "up", &["up", "k"]),
    (Action::Down, "down", &["down", "j"]),
    (Action::Left, "left", &["left", "h"]),
    (Action::Right, "right", &["right", "l"]),
    (Action::Toggle, "toggle", &["enter"]),
    (Action::Top, "top", &["g", "home"]),
    (Action::Bottom, "bottom", &["G", "end"]),
    (Action::PageUp, "page_up", &["pgup", "ctrl-b"]),
    (Action::PageDown, "page_down", &["pgdn", "ctrl-f"]),
    (Action::NextFocus, "next_focus", &["tab"]),
    (Action::PrevFocus, "prev_focus", &["backtab"]),
    (Action::TabOverview, "tab_overview", &["1"]),
    (Action::TabPolicies, "tab_policies", &["2"]),
    (Action::TabOrgPolicies, "tab_scps", &["3"]),
    (Action::TabRelated, "tab_members", &["4"]),
    (Action::TabJson, "tab_json", &["5"]),
    (Action::Filter, "filter", &["/"]),
    (Action::Palette, "palette", &[":"]),
    (Action::Help, "help", &["?"]),
    (Action::Back, "back", &["["]),
    (Action::Forward, "forward", &["]"]),
    (Action::Copy, "copy", &["y"]),
    (Action::Quit, "quit", &["q", "ctrl-c"]),
    (Action::Cancel, "cancel", &["esc"]),
    (Action::Accept, "accept", &["enter"]),
    (Action::Complete, "complete", &["tab"]),
    (Action::NextItem, "next_item", &["down", "ctrl-n"]),
    (Action::PrevItem, "prev_item", &["up", "ctrl-p"]),
    (Action::Can, "can", &["c"]),
    (Action::WhoCan, "who_can", &["w"]),
    (Action::WhatCan, "what_can", &["W"]),
    (Action::Paths, "paths", &["p"]),
    (Action::LastAnswer, "last_answer", &["a"]),
    (Action::Problems, "problems", &["!"]),
    (Action::Lesson, "lesson", &["L"]),
    (Action::Hint, "hint", &["h"]),
    (Action::PredictAllowed, "predict_allowed", &["a"]),
    (Action::PredictImplicit, "predict_implicit", &["i"]),
    (Action::PredictExplicit, "predict_explicit", &["e"]),
    (Action::ResetLesson, "reset_lesson", &["R"]),
    (Action::Change, "change", &["m"]),
    (Action::EditExternal, "edit_external", &["e"]),
    (Action::Undo, "undo", &["u"]),
    (Action::Redo, "redo", &["ctrl-r"]),
    (Action::ScenarioPane, "scenario", &["s"]),
    (Action::WhatIf, "what_if", &["d"]),
    (Action::WhatIfLevels, "what_if_levels", &["v"]),
    (Action::SaveEdit, "save_edit", &["ctrl-s"]),
    (Action::EditorExternal, "editor_external", &["ctrl-o"]),
    (Action::Findings, "findings", &["F"]),
    (Action::FindingsSeverity, "findings_severity", &["s"]),
    (Action::FindingsKind, "findings_kind", &["t"]),
    (Action::FindingsGrade, "findings_grade", &["a"]),
    (Action::FindingsUnder, "findings_under", &["u"]),
    (Action::FindingsOrder, "findings_order", &["o"]),
];

impl Action {
    /// The keymap file's name for it: `page_down`.
    pub fn id(self) -> &'static str {
        ACTIONS
            .iter()
            .find(|(a, _, _)| *a == self)
            .map_or("?", |(_, id, _)| id)
    }

    pub fn from_id(id: &str) -> Option<Action> {
        ACTIONS
            .iter()
            .find(|(_, i, _)| *i == id)
            .map(|(a, _, _)| *a)
    }
}

/// One command as a context shows it: its action, its hint bar word, what it does
/// there, and whether the hint bar shows it. An action may appear in several
/// contexts with different words (`left` closes a node in the tree, leaves the
/// details pane).
#[derive(Debug, Clone, Copy)]
pub struct CommandInfo {
    pub action: Action,
    /// The hint bar's word: `open`.
    pub label: &'static str,
    pub description: &'static str,
    pub contexts: &'static [Context],
    pub hint: bool,
}

use Context::{
    Answer as A, AnswerFilter as AF, ChangeMenu as CM, Details as D, Editor as ED, Filter as F,
    Findings as FI, FindingsFilter as FF, Help as H, Lesson as L, Palette as P, Problems as PR,
    Query as Q, QueryRunning as QR, Scenario as SC, Tree as T, WhatIf as WI,
};

const fn cmd(
    action: Action,
    label: &'static str,
    description: &'static str,
    contexts: &'static [Context],
    hint: bool,
) -> CommandInfo {
    CommandInfo {
        action,
        label,
        description,
        contexts,
        hint,
    }
}

/// All the commands, in the order help lists them.
pub const COMMANDS: &[CommandInfo] = &[
    // First: while a lesson is open, the way back to it must stay on the hint bar.
    cmd(
        Action::Lesson,
        "lesson",
        "give the lesson pane the keyboard, or take it back",
        &[T, D],
        true,
    ),
    cmd(Action::Up, "up", "move up", &[T, D, H, A, PR, FI], false),
    cmd(
        Action::Down,
        "down",
        "move down",
        &[T, D, H, A, PR, FI],
        false,
    ),
    cmd(
        Action::Right,
        "open",
        "open the node, or go to its first child",
        &[T],
        true,
    ),
    cmd(
        Action::Left,
        "close",
        "close the node, or go to its parent",
        &[T],
        true,
    ),
    cmd(Action::Left, "tree", "back to the tree", &[D], true),
    cmd(
        Action::Toggle,
        "open/close",
        "open or close the node",
        &[T],
        false,
    ),
    cmd(
        Action::Top,
        "top",
        "go to the first row",
        &[T, D, H, A, PR, FI],
        false,
    ),
    cmd(
        Action::Bottom,
        "bottom",
        "go to the last row",
        &[T, D, H, A, PR, FI],
        false,
    ),
    cmd(
        Action::PageUp,
        "page up",
        "one page up",
        &[T, D, H, A, PR, FI],
        false,
    ),
    cmd(
        Action::PageDown,
        "page down",
        "one page down",
        &[T, D, H, A, PR, FI],
        false,
    ),
    cmd(Action::NextFocus, "tabs", "next pane or tab", &[T, D], true),
    cmd(
        Action::PrevFocus,
        "prev tab",
        "previous pane or tab",
        &[T, D],
        false,
    ),
    cmd(
        Action::TabOverview,
        "overview",
        "show the Overview tab",
        &[T, D],
        false,
    ),
    cmd(
        Action::TabPolicies,
        "policies",
        "show the Policies tab",
        &[T, D],
        false,
    ),
    cmd(
        Action::TabOrgPolicies,
        "SCPs/RCPs",
        "show the effective SCPs and RCPs",
        &[T, D],
        false,
    ),
    cmd(
        Action::TabRelated,
        "members",
        "show members or attachments",
        &[T, D],
        false,
    ),
    cmd(
        Action::TabJson,
        "JSON",
        "show the policy documents",
        &[T, D],
        false,
    ),
    cmd(
        Action::Filter,
        "find",
        "fuzzy find any name, id or ARN",
        &[T, D],
        true,
    ),
    cmd(
        Action::Palette,
        "command",
        "open the command palette",
        &[T, D],
        true,
    ),
    cmd(
        Action::Can,
        "can",
        "ask can, prefilled from the selection",
        &[T, D],
        true,
    ),
    cmd(
        Action::WhoCan,
        "who-can",
        "ask who-can, prefilled from the selection",
        &[T, D],
        true,
    ),
    cmd(
        Action::WhatCan,
        "what-can",
        "ask what-can, prefilled from the selection",
        &[T, D],
        true,
    ),
    cmd(
        Action::Paths,
        "paths",
        "ask paths (on a role: who reaches it), prefilled from the selection",
        &[T, D],
        true,
    ),
    cmd(
        Action::LastAnswer,
        "answer",
        "show the last answer again ([ ] in it: the earlier ones)",
        &[T, D],
        false,
    ),
    cmd(
        Action::Back,
        "back",
        "go back to where you were",
        &[T, D],
        false,
    ),
    cmd(
        Action::Forward,
        "forward",
        "go forward again",
        &[T, D],
        false,
    ),
    cmd(
        Action::Change,
        "change",
        "what if: change this node (attach, move, create, edit…)",
        &[T, D],
        true,
    ),
    cmd(
        Action::EditExternal,
        "edit",
        "what if: edit the selected policy in $EDITOR",
        &[T, D],
        false,
    ),
    cmd(
        Action::WhatIf,
        "what if",
        "what if: who gains and loses what under this node",
        &[T, D, SC],
        true,
    ),
    cmd(
        Action::ScenarioPane,
        "scenario",
        "what if: list the scenario's changes",
        &[T, D, WI],
        false,
    ),
    cmd(
        Action::Undo,
        "undo",
        "what if: take back the last change",
        &[T, D],
        false,
    ),
    cmd(
        Action::Redo,
        "redo",
        "what if: make the change undone again",
        &[T, D],
        false,
    ),
    cmd(
        Action::Copy,
        "copy ARN",
        "copy the selected ARN (OSC 52)",
        &[T, D],
        true,
    ),
    cmd(
        Action::Problems,
        "problems",
        "list the problems the organization was opened with",
        &[T, D],
        true,
    ),
    cmd(
        Action::Findings,
        "findings",
        "list the organization's findings, most severe first",
        &[T, D],
        false,
    ),
    cmd(Action::Help, "help", "show this help", &[T, D], true),
    cmd(Action::Quit, "quit", "quit orgscope", &[T, D], true),
    cmd(Action::Cancel, "tree", "back to the tree", &[D], false),
    cmd(Action::Cancel, "up", "go to the parent", &[T], false),
    cmd(Action::NextItem, "next", "next match", &[F, P], true),
    cmd(
        Action::PrevItem,
        "previous",
        "previous match",
        &[F, P],
        false,
    ),
    cmd(
        Action::Complete,
        "complete",
        "complete the command or name",
        &[P],
        true,
    ),
    cmd(
        Action::Accept,
        "go",
        "jump to the selected match",
        &[F, P],
        true,
    ),
    cmd(
        Action::Cancel,
        "cancel",
        "close without jumping",
        &[F, P],
        true,
    ),
    cmd(Action::Cancel, "close", "close the help", &[H], true),
    cmd(Action::Help, "close", "close the help", &[H], false),
    // The query pane's form: what is typed goes into the focused field.
    cmd(
        Action::Accept,
        "run",
        "run the query, or take the chosen completion",
        &[Q],
        true,
    ),
    cmd(
        Action::NextFocus,
        "next field",
        "next field (the answer after the last)",
        &[Q],
        true,
    ),
    cmd(
        Action::PrevFocus,
        "previous field",
        "previous field",
        &[Q],
        false,
    ),
    cmd(
        Action::NextItem,
        "complete",
        "list and choose completions",
        &[Q],
        true,
    ),
    cmd(
        Action::PrevItem,
        "previous",
        "previous completion",
        &[Q],
        false,
    ),
    cmd(
        Action::Cancel,
        "close",
        "close the completions, then the pane",
        &[Q],
        true,
    ),
    // While a query runs.
    cmd(Action::Cancel, "cancel", "cancel the query", &[QR], true),
    cmd(Action::Quit, "quit", "quit orgscope", &[QR], false),
    // The answer.
    cmd(Action::Right, "open", "open the row", &[A], false),
    cmd(
        Action::Left,
        "close",
        "close the row, or go to its parent",
        &[A],
        false,
    ),
    cmd(
        Action::Accept,
        "jump",
        "jump to the statement, principal or role; a grant's statement",
        &[A],
        true,
    ),
    cmd(
        Action::Filter,
        "filter",
        "keep the rows that contain a text",
        &[A],
        true,
    ),
    cmd(Action::NextFocus, "form", "back to the form", &[A], true),
    cmd(
        Action::PrevFocus,
        "last field",
        "back to the form's last field",
        &[A],
        false,
    ),
    cmd(
        Action::Can,
        "can",
        "ask can from the selected row (the form shows first)",
        &[A],
        false,
    ),
    cmd(
        Action::WhoCan,
        "who-can",
        "ask who-can from the selected row (the form shows first)",
        &[A],
        false,
    ),
    cmd(
        Action::WhatCan,
        "what-can",
        "ask what-can from the selected row (the form shows first)",
        &[A],
        false,
    ),
    cmd(
        Action::Paths,
        "paths",
        "ask paths from the selected row (the form shows first)",
        &[A],
        false,
    ),
    cmd(
        Action::Copy,
        "copy ARN",
        "copy the selected row's ARN (OSC 52)",
        &[A],
        false,
    ),
    cmd(
        Action::Back,
        "earlier",
        "the answer before this one (every question is kept)",
        &[A],
        false,
    ),
    cmd(
        Action::Forward,
        "later",
        "the answer after this one",
        &[A],
        false,
    ),
    cmd(Action::Help, "help", "show this help", &[A], true),
    cmd(
        Action::Cancel,
        "close",
        "close the query pane (a brings it back)",
        &[A],
        true,
    ),
    cmd(Action::Quit, "quit", "quit orgscope", &[A], false),
    // The answer's filter line.
    cmd(
        Action::Accept,
        "keep",
        "keep the filter, back to the rows",
        &[AF],
        true,
    ),
    cmd(Action::NextItem, "next row", "next row", &[AF], false),
    cmd(
        Action::PrevItem,
        "previous row",
        "previous row",
        &[AF],
        false,
    ),
    cmd(Action::Cancel, "clear", "clear the filter", &[AF], true),
    // The problems list.
    cmd(
        Action::Accept,
        "go",
        "go to the node the problem is about",
        &[PR],
        true,
    ),
    cmd(
        Action::Cancel,
        "close",
        "close the list (! opens it)",
        &[PR],
        true,
    ),
    cmd(Action::Problems, "close", "close the list", &[PR], false),
    cmd(Action::Help, "help", "show this help", &[PR], true),
    cmd(Action::Quit, "quit", "quit orgscope", &[PR], false),
    // The findings list.
    cmd(
        Action::Accept,
        "go",
        "go to the finding's node, its statement highlighted",
        &[FI],
        true,
    ),
    cmd(
        Action::FindingsSeverity,
        "severity",
        "critical only, then high and above, medium and above, all",
        &[FI],
        true,
    ),
    cmd(
        Action::FindingsKind,
        "kind",
        "one kind at a time (external access, policy checks...)",
        &[FI],
        true,
    ),
    cmd(
        Action::FindingsGrade,
        "grade",
        "one IAM Access Analyzer grade at a time (error first)",
        &[FI],
        true,
    ),
    cmd(
        Action::FindingsUnder,
        "under",
        "only under the node selected in the tree; again: all",
        &[FI],
        true,
    ),
    cmd(
        Action::FindingsOrder,
        "order",
        "sort by severity, then by node, then by rule",
        &[FI],
        true,
    ),
    cmd(
        Action::Filter,
        "filter",
        "keep the findings that contain a text",
        &[FI],
        true,
    ),
    cmd(
        Action::Cancel,
        "close",
        "close the list (F opens it)",
        &[FI],
        true,
    ),
    cmd(Action::Findings, "close", "close the list", &[FI], false),
    cmd(Action::Help, "help", "show this help", &[FI], true),
    cmd(Action::Quit, "quit", "quit orgscope", &[FI], false),
    // The findings' filter line.
    cmd(
        Action::Accept,
        "keep",
        "keep the filter, back to the list",
        &[FF],
        true,
    ),
    cmd(Action::NextItem, "next", "next finding", &[FF], false),
    cmd(
        Action::PrevItem,
        "previous",
        "previous finding",
        &[FF],
        false,
    ),
    cmd(Action::Cancel, "clear", "clear the filter", &[FF], true),
    cmd(
        Action::Accept,
        "next",
        "go on: past a step to read, or a step done",
        &[L],
        true,
    ),
    cmd(
        Action::Hint,
        "hint",
        "a hint for the step; again: a stronger one",
        &[L],
        true,
    ),
    cmd(
        Action::PredictAllowed,
        "allowed",
        "predict: allowed",
        &[L],
        true,
    ),
    cmd(
        Action::PredictImplicit,
        "implicit",
        "predict: implicitly denied (then the layer, 1-7)",
        &[L],
        true,
    ),
    cmd(
        Action::PredictExplicit,
        "explicit",
        "predict: explicitly denied (then the layer, 1-7)",
        &[L],
        true,
    ),
    cmd(
        Action::ResetLesson,
        "reset",
        "start the lesson again, or practice with new questions",
        &[L],
        false,
    ),
    cmd(Action::Up, "up", "scroll the lesson up", &[L], false),
    cmd(Action::Down, "down", "scroll the lesson down", &[L], false),
    cmd(
        Action::Cancel,
        "tree",
        "give the tree the keyboard, to do the step",
        &[L],
        true,
    ),
    cmd(
        Action::Lesson,
        "lesson",
        "give the lesson pane the keyboard, or take it back",
        &[L],
        true,
    ),
    // Last, as in every context: the hint bar keeps them when space runs out.
    cmd(Action::Help, "help", "show this help", &[L], true),
    cmd(Action::Quit, "quit", "quit orgscope", &[L], true),
    // What if: the change menu, the editor, the scenario pane and the diff.
    cmd(Action::Up, "up", "previous row", &[CM, SC, WI], false),
    cmd(Action::Down, "down", "next row", &[CM, SC, WI], false),
    cmd(Action::NextItem, "next", "next row", &[CM], false),
    cmd(Action::PrevItem, "previous", "previous row", &[CM], false),
    cmd(
        Action::Accept,
        "choose",
        "make the change, or choose what it takes (typing filters)",
        &[CM],
        true,
    ),
    cmd(
        Action::Cancel,
        "cancel",
        "close without a change",
        &[CM],
        true,
    ),
    cmd(
        Action::SaveEdit,
        "keep",
        "make the change with the edited document (refused while it does not parse)",
        &[ED],
        true,
    ),
    cmd(
        Action::EditorExternal,
        "$EDITOR",
        "go on writing the document in $EDITOR (checked when it closes)",
        &[ED],
        true,
    ),
    cmd(
        Action::Cancel,
        "discard",
        "close the editor without a change",
        &[ED],
        true,
    ),
    cmd(Action::PageUp, "page up", "one page up", &[SC, WI], false),
    cmd(
        Action::PageDown,
        "page down",
        "one page down",
        &[SC, WI],
        false,
    ),
    cmd(Action::Top, "top", "go to the first row", &[SC, WI], false),
    cmd(
        Action::Bottom,
        "bottom",
        "go to the last row",
        &[SC, WI],
        false,
    ),
    cmd(
        Action::Accept,
        "open/explain",
        "open or fold a principal; on a + - ~ line, ask its question before and after the scenario",
        &[WI],
        true,
    ),
    cmd(
        Action::Right,
        "open",
        "open a principal: its answers, one a line",
        &[WI],
        false,
    ),
    cmd(
        Action::Left,
        "fold",
        "fold the principal back to its summary (from any of its lines)",
        &[WI],
        false,
    ),
    cmd(
        Action::Filter,
        "filter",
        "keep the rows that contain a text (a principal, an action, a service)",
        &[WI],
        true,
    ),
    cmd(
        Action::WhatIfLevels,
        "levels",
        "choose the access levels the diff asks (List, Read, Write, Permissions management, Tagging; the default: Write and Permissions management)",
        &[WI],
        true,
    ),
    cmd(
        Action::Undo,
        "undo",
        "take back the last change",
        &[SC, WI],
        true,
    ),
    cmd(
        Action::Redo,
        "redo",
        "make the change undone again",
        &[SC, WI],
        true,
    ),
    cmd(
        Action::Cancel,
        "close",
        "close (a running diff stops)",
        &[SC, WI],
        true,
    ),
    cmd(Action::Help, "help", "show this help", &[SC, WI], true),
    cmd(Action::Quit, "quit", "quit orgscope", &[SC, WI], false),
];

/// The commands that work in a context, in help order.
pub fn in_context(ctx: Context) -> impl Iterator<Item = &'static CommandInfo> {
    COMMANDS.iter().filter(move |c| c.contexts.contains(&ctx))
}

/// The palette's commands: `:account prod-app`.
#[derive(Debug, Clone, Copy)]
pub struct PaletteCommand {
    pub name: &'static str,
    /// What the argument is, for help: `NAME`.
    pub arg: Option<&'static str>,
    pub description: &'static str,
    /// Options after the argument, as on the command line: `--compare WHO`.
    pub options: &'static [&'static str],
}

pub const PALETTE: &[PaletteCommand] = &[
    PaletteCommand {
        name: "account",
        arg: Some("NAME|ID"),
        description: "go to an account",
        options: &[],
    },
    PaletteCommand {
        name: "ou",
        arg: Some("NAME|ID"),
        description: "go to an organizational unit",
        options: &[],
    },
    PaletteCommand {
        name: "user",
        arg: Some("NAME"),
        description: "go to an IAM user",
        options: &[],
    },
    PaletteCommand {
        name: "group",
        arg: Some("NAME"),
        description: "go to an IAM group",
        options: &[],
    },
    PaletteCommand {
        name: "role",
        arg: Some("NAME"),
        description: "go to an IAM role",
        options: &[],
    },
    PaletteCommand {
        name: "policy",
        arg: Some("NAME"),
        description: "go to a managed policy, SCP or RCP",
        options: &[],
    },
    PaletteCommand {
        name: "resource",
        arg: Some("NAME"),
        description: "go to a resource with a policy",
        options: &[],
    },
    PaletteCommand {
        name: "can",
        arg: Some("WHO ACTION RESOURCE [K=V…]"),
        description: "can WHO do ACTION on RESOURCE, and why?",
        options: &["--resource-account ID|NAME", "--session-policy FILE"],
    },
    PaletteCommand {
        name: "who-can",
        arg: Some("ACTION RESOURCE [K=V…]"),
        description: "who can do ACTION on RESOURCE?",
        options: &["--resource-account ID|NAME"],
    },
    PaletteCommand {
        name: "what-can",
        arg: Some("WHO [SERVICE] [LEVEL]"),
        description: "what can WHO do?",
        options: &["--compare WHO"],
    },
    PaletteCommand {
        name: "paths",
        arg: Some("[WHO] [ROLE]"),
        description: "which roles can WHO reach, or who reaches ROLE?",
        options: &["--to ROLE"],
    },
    PaletteCommand {
        name: "learn",
        arg: Some("[LESSON]"),
        description: "list the lessons, or open one (on the organization it is written for)",
        options: &[],
    },
    PaletteCommand {
        name: "practice",
        arg: Some("[COUNT]"),
        description: "practice: predict decisions on this org, with a score",
        options: &[],
    },
    PaletteCommand {
        name: "w",
        arg: Some("FILE"),
        description: "what if: save the scenario to a new file",
        options: &[],
    },
    PaletteCommand {
        name: "expect",
        arg: Some("FILE"),
        description: "what if: load expectations for the what-if view",
        options: &[],
    },
    PaletteCommand {
        name: "scenario",
        arg: None,
        description: "what if: list the scenario's changes",
        options: &[],
    },
    PaletteCommand {
        name: "what-if",
        arg: Some("[ACTIONS]"),
        description: "what if: who gains and loses what under this node (for these actions or patterns, comma-separated; alone: the default set)",
        options: &[],
    },
    PaletteCommand {
        name: "root",
        arg: None,
        description: "go to the organization root",
        options: &[],
    },
    PaletteCommand {
        name: "findings",
        arg: None,
        description: "list the organization's findings, most severe first (F)",
        options: &[],
    },
    PaletteCommand {
        name: "problems",
        arg: None,
        description: "list the problems the organization was opened with",
        options: &[],
    },
    PaletteCommand {
        name: "help",
        arg: None,
        description: "show the help",
        options: &[],
    },
    PaletteCommand {
        name: "quit",
        arg: None,
        description: "quit orgscope",
        options: &[],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_context_can_be_left_and_has_hints() {
        for ctx in [
            Context::Tree,
            Context::Details,
            Context::Filter,
            Context::Palette,
            Context::Help,
            Context::Query,
            Context::QueryRunning,
            Context::Answer,
            Context::AnswerFilter,
            Context::Problems,
            Context::Lesson,
            Context::ChangeMenu,
            Context::Editor,
            Context::Scenario,
            Context::WhatIf,
            Context::Findings,
            Context::FindingsFilter,
        ] {
            assert!(in_context(ctx).any(|c| c.hint), "{ctx:?} has no hint");
            assert!(
                in_context(ctx).any(|c| matches!(c.action, Action::Quit | Action::Cancel)),
                "{ctx:?} cannot be left"
            );
        }
    }

    #[test]
    fn the_questions_options_are_their_fields_flags() {
        use crate::tui::query::form::QueryKind;
        for c in PALETTE {
            let Some(kind) = QueryKind::from_name(c.name) else {
                assert!(c.options.is_empty(), "{}", c.name);
                continue;
            };
            let flags: Vec<String> = kind
                .fields()
                .iter()
                .filter_map(|f| Some(format!("{} {}", f.flag()?, f.flag_value())))
                .collect();
            assert_eq!(c.options, flags, "{}", c.name);
        }
    }

    #[test]
    fn every_action_has_one_keymap_name() {
        for (i, (a, id, _)) in ACTIONS.iter().enumerate() {
            assert_eq!(Action::from_id(id), Some(*a));
            assert!(
                ACTIONS[i + 1..]
                    .iter()
                    .all(|(b, other, _)| b != a && other != id),
                "{id}"
            );
        }
        for c in COMMANDS {
            assert_ne!(c.action.id(), "?", "{:?} has no keymap name", c.action);
        }
    }
}
