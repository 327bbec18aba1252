//! Reading the text of a file as editors and shells save it: UTF-8 with or without a
//! byte-order mark, and UTF-16 (what Windows PowerShell's `>` and `Out-File` write).
//! Every file orgscope reads goes through here (org files, export directories,
//! simulate input, session policy files), so that a byte-order mark is never
//! reported as "expected value at line 1 column 1".

use std::io::{self, Read};
use std::path::Path;

/// Reads a whole file as text.
pub fn read(path: &Path) -> io::Result<String> {
    decode(std::fs::read(path)?)
}

/// Reads at most `limit` bytes from `r` as text (more is left unread; the caller
/// checks the length if it cares).
pub fn read_limited(r: impl Read, limit: u64) -> io::Result<String> {
    let mut bytes = Vec::new();
    r.take(limit).read_to_end(&mut bytes)?;
    decode(bytes)
}

/// The text of `bytes`: a UTF-8 byte-order mark is dropped; UTF-16 (little or big
/// endian, told by its byte-order mark, or without one by the zero byte that
/// follows or precedes the first ASCII character of a JSON text) is converted.
/// Anything else must be UTF-8; otherwise the error says where it stops being so.
pub fn decode(bytes: Vec<u8>) -> io::Result<String> {
    let utf16 = match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, ..] => return utf8(bytes[3..].to_vec()),
        [0xFF, 0xFE, ..] => Some((true, 2)),
        [0xFE, 0xFF, ..] => Some((false, 2)),
        [a, 0, ..] if *a != 0 && a.is_ascii() => Some((true, 0)),
        [0, b, ..] if *b != 0 && b.is_ascii() => Some((false, 0)),
        _ => None,
    };
    match utf16 {
        Some((little, skip)) => from_utf16(&bytes[skip..], little),
        None => utf8(bytes),
    }
}

fn utf8(bytes: Vec<u8>) -> io::Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = &e.as_bytes()[..at];
        let line = text.iter().filter(|b| **b == b'\n').count() + 1;
        let column = at - text.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1) + 1;
        invalid(format!(
            "not UTF-8 or UTF-16 text: invalid byte at line {line} column {column}"
        ))
    })
}

fn from_utf16(bytes: &[u8], little: bool) -> io::Result<String> {
    if !bytes.len().is_multiple_of(2) {
        return Err(invalid(
            "UTF-16 text with an odd number of bytes: the file is cut short".to_string(),
        ));
    }
    let units = bytes.chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            // A byte-order mark written again after the first one is dropped too.
            Ok('\u{feff}') if i == 0 => {}
            Ok(c) => out.push(c),
            Err(_) => {
                return Err(invalid(format!(
                    "UTF-16 text with an unpaired surrogate at character {}",
                    i + 1
                )));
            }
        }
    }
    Ok(out)
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = "{\"a\": \"é\"}\n";

    fn utf16(s: &str, little: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xFEFF).into_iter().chain(s.encode_utf16());
        for u in units {
            out.extend(if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        out
    }

    #[test]
    fn every_encoding_powershell_writes_reads_as_the_same_text() {
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend(JSON.as_bytes());
        for bytes in [
            JSON.as_bytes().to_vec(),
            bom8,
            utf16(JSON, true, true),
            utf16(JSON, false, true),
            utf16(JSON, true, false),
            utf16(JSON, false, false),
        ] {
            assert_eq!(decode(bytes).unwrap(), JSON);
        }
        assert_eq!(decode(Vec::new()).unwrap(), "");
    }

    #[test]
    fn what_is_not_text_says_where() {
        let e = decode(b"{\n  \"a\": \"\xff\"}".to_vec()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "not UTF-8 or UTF-16 text: invalid byte at line 2 column 9"
        );
        let mut odd = utf16("{}", true, true);
        odd.pop();
        assert!(decode(odd).unwrap_err().to_string().contains("odd number"));
        let lone = [0xFF, 0xFE, 0x00, 0xD8, b'{', 0];
        assert!(
            decode(lone.to_vec())
                .unwrap_err()
                .to_string()
                .contains("surrogate")
        );
    }
}
