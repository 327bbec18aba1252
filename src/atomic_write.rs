//! Writing an output file the careful way, for every command that writes one: the
//! bytes go to a temporary file beside the final name, are flushed to disk, and the
//! temporary file is renamed over the name, so that a reader sees the old file or the
//! new one and never half of one. Only a regular file is ever replaced: a symbolic
//! link, a directory, a device or a named pipe at the path is refused, not turned into
//! a file. Inputs are never written.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// What was at the path before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Nothing: the file is new.
    Created,
    /// A regular file, now replaced (its permissions kept).
    Replaced,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to overwrite the input `{}`; choose another output file", .0.display())]
    Input(PathBuf),
    #[error(
        "refusing to write inside the input directory `{}`; choose another output file",
        .0.display()
    )]
    InsideInput(PathBuf),
    #[error("`{}` is {what}, not a regular file: orgscope replaces only regular files{hint}", .path.display())]
    NotAFile {
        path: PathBuf,
        what: &'static str,
        hint: &'static str,
    },
    #[error("`{}` names no file", .0.display())]
    NoFileName(PathBuf),
    #[error("cannot write `{}`: {error}", .path.display())]
    Io { path: PathBuf, error: io::Error },
}

/// Writes `bytes` to `path` atomically (see the module's comment). Refuses to write
/// over any of `inputs`, or inside one that is a directory (an export directory is
/// read whole).
pub fn write(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<Written, WriteError> {
    let io_error = |error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    };
    let target = absolute(path);
    for input in inputs {
        let input_abs = absolute(input);
        if input_abs == target {
            return Err(WriteError::Input(path.to_path_buf()));
        }
        if input.is_dir() && target.starts_with(&input_abs) {
            return Err(WriteError::InsideInput(input.to_path_buf()));
        }
    }
    let Some(name) = path.file_name() else {
        return Err(WriteError::NoFileName(path.to_path_buf()));
    };
    let existing = match fs::symlink_metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_error(e)),
    };
    if let Some(meta) = &existing {
        refuse_unless_regular(path, &meta.file_type())?;
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // A missing directory said plainly (the temporary file's error names its own path).
    fs::metadata(dir).map_err(io_error)?;
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new file as `File::create` makes one (0666 less the umask), not tempfile's 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    // Dropped on any error below: the temporary file is removed.
    let mut tmp = builder.tempfile_in(dir).map_err(io_error)?;
    tmp.write_all(bytes).map_err(io_error)?;
    if let Some(meta) = &existing {
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(io_error)?;
    }
    tmp.as_file().sync_all().map_err(io_error)?;
    tmp.persist(path).map_err(|e| io_error(e.error))?;
    // The rename itself reaches the disk with the directory; where a directory cannot
    // be opened or synced (some filesystems), the file is written all the same.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(if existing.is_some() {
        Written::Replaced
    } else {
        Written::Created
    })
}

fn refuse_unless_regular(path: &Path, kind: &fs::FileType) -> Result<(), WriteError> {
    if kind.is_file() {
        return Ok(());
    }
    const STDOUT: &str = "; `-o -` writes to standard output";
    let (what, hint) = if kind.is_symlink() {
        (
            "a symbolic link",
            "; give the path it points to, or `-o -` for standard output",
        )
    } else if kind.is_dir() {
        ("a directory", "; give a file name")
    } else {
        (special_kind(kind), STDOUT)
    };
    Err(WriteError::NotAFile {
        path: path.to_path_buf(),
        what,
        hint,
    })
}

#[cfg(unix)]
fn special_kind(kind: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &fs::FileType) -> &'static str {
    "not a regular file"
}

/// A path made absolute and, where it exists, canonical (symlinks resolved).
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    // The output usually does not exist yet: resolve its directory instead.
    match (p.parent(), p.file_name()) {
        (Some(d), Some(n)) => {
            let d = if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            };
            d.canonicalize()
                .map(|d| d.join(n))
                .unwrap_or_else(|_| p.to_path_buf())
        }
        _ => p.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("orgscope-atomic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_file_is_created_then_replaced_with_its_permissions_kept() {
        let dir = scratch("replace");
        let out = dir.join("out.json");
        assert_eq!(write(&out, b"one", &[]).unwrap(), Written::Created);
        assert_eq!(fs::read(&out).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).unwrap();
        }
        assert_eq!(write(&out, b"two", &[]).unwrap(), Written::Replaced);
        assert_eq!(fs::read(&out).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640, "the replaced file's permissions are kept");
        }
        assert_eq!(names(&dir), ["out.json"], "no temporary file is left");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_a_directory_or_a_pipe_is_refused_and_left_as_it_was() {
        let dir = scratch("special");
        let target = dir.join("target.json");
        fs::write(&target, "kept").unwrap();
        let link = dir.join("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = write(&link, b"new", &[]).unwrap_err().to_string();
        assert!(
            e.contains("link.json` is a symbolic link, not a regular file"),
            "{e}"
        );
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "kept");

        let sub = dir.join("sub");
        fs::create_dir(&sub).unwrap();
        let e = write(&sub, b"new", &[]).unwrap_err().to_string();
        assert!(e.contains("sub` is a directory"), "{e}");

        let fifo = dir.join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = write(&fifo, b"new", &[]).unwrap_err().to_string();
            assert!(e.contains("fifo` is a named pipe"), "{e}");
            assert!(e.ends_with("`-o -` writes to standard output"), "{e}");
        }
        let e = write(Path::new("/dev/null"), b"new", &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("`/dev/null` is a character device"), "{e}");
        let mut left = names(&dir);
        left.retain(|n| n.starts_with('.'));
        assert!(left.is_empty(), "no temporary file is left: {left:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn inputs_are_never_written() {
        let dir = scratch("inputs");
        let input = dir.join("in.json");
        fs::write(&input, "input").unwrap();
        let e = write(&dir.join(".").join("in.json"), b"x", &[&input]).unwrap_err();
        assert!(
            e.to_string().starts_with("refusing to overwrite the input"),
            "{e}"
        );
        let e = write(&dir.join("new.json"), b"x", &[&dir]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("refusing to write inside the input directory"),
            "{e}"
        );
        assert_eq!(fs::read_to_string(&input).unwrap(), "input");
        assert_eq!(names(&dir), ["in.json"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_directory_is_a_clear_error() {
        let e = write(Path::new("/nonexistent-dir/out.json"), b"x", &[]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cannot write `/nonexistent-dir/out.json`: "),
            "{e}"
        );
    }
}
