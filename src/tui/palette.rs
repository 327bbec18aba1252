//! The `:` command palette: `:account prod-app`, `:role Deploy`, `:policy
//! FullAWSAccess`, `:help`, `:quit`, with completion of commands and names.

use super::commands::{PALETTE, PaletteCommand};
use super::nodes::Kind;
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

#[cfg(test)]
mod tests {
    use super::*;

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
