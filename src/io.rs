//! Reading JSON files with precise error places, and writing outputs whole
//! or not at all (temporary file in the same folder, then rename).

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use thiserror::Error;

/// A file that could not be read or did not have the expected shape.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("{file}: cannot read: {source}")]
    /// The file could not be read.
    Io {
        /// Path of the file.
        file: String,
        #[source]
        /// The underlying error.
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: malformed JSON: {message}")]
    /// The file is not well-formed JSON.
    Syntax {
        /// Path of the file.
        file: String,
        /// Line of the error (1-based).
        line: usize,
        /// Column of the error (1-based).
        column: usize,
        /// What the parser expected.
        message: String,
    },
    #[error("{file}: at {path}: {message}")]
    /// The JSON does not have the expected fields or types.
    Shape {
        /// Path of the file.
        file: String,
        /// JSON path such as `shifts[12].quotas[0].level`.
        path: String,
        /// What is wrong there.
        message: String,
    },
}

/// Parses JSON text into `T`, naming the JSON path of the first mismatch.
pub fn parse_json<T: DeserializeOwned>(text: &str, file: &str) -> Result<T, LoadError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize(de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                Err(LoadError::Syntax {
                    file: file.to_string(),
                    line: inner.line(),
                    column: inner.column(),
                    message: strip_position(&inner.to_string()),
                })
            } else {
                Err(LoadError::Shape {
                    file: file.to_string(),
                    path: if path == "." {
                        "(top level)".into()
                    } else {
                        path
                    },
                    message: strip_position(&inner.to_string()),
                })
            }
        }
    }
}

/// serde_json appends " at line L column C"; we report the place ourselves.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Reads and parses a JSON file.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, LoadError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        file: file.clone(),
        source,
    })?;
    parse_json(&text, &file)
}

/// Suffix of the temporary files [`write_atomic`] writes beside a target.
pub const TEMP_SUFFIX: &str = ".vroster-tmp";

/// Writes `bytes` to `path` atomically: a temporary file beside it, synced,
/// then renamed over the target. A crash (even `kill -9`) leaves the old
/// file or none; the temporary file it may leave behind
/// (`.<name>.<pid>.<random>.vroster-tmp`) is removed by the next write to
/// the same path once its process is gone ([`remove_stale_temporaries`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_stale_temporaries(dir, &name);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.{}.", std::process::id()))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    // Temporary files are private (0600); an output file is an ordinary one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Removes the temporary files of earlier writes to `dir/name` whose
/// process has ended (killed before the rename). Only where process ids
/// can be checked (`/proc`); errors are ignored (a leftover file is
/// harmless, the target is never touched).
pub fn remove_stale_temporaries(dir: &Path, name: &str) {
    let proc = Path::new("/proc/self");
    if !proc.exists() {
        return;
    }
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file
            .strip_prefix(&prefix)
            .and_then(|r| r.strip_suffix(TEMP_SUFFIX))
        else {
            continue;
        };
        // `<pid>.<random>` exactly (the random part has no dot), so the
        // temporaries of a longer name such as `name.1` never match.
        let pid = match rest.split_once('.') {
            Some((pid, random)) if !random.contains('.') => pid.parse::<u32>().ok(),
            _ => None,
        };
        if let Some(pid) = pid {
            if !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Serialises `value` as pretty JSON and writes it atomically.
pub fn write_json_atomic<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn syntax_error_has_line_and_column() {
        let e = parse_json::<Scenario>("{\n  \"format\": \n}", "x.json").unwrap_err();
        match e {
            LoadError::Syntax { line, column, .. } => assert_eq!((line, column), (3, 1)),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn unknown_field_has_path() {
        let text = r#"{"format":"volunteer-scenario/1","shifts":[{"id":"a","venue":"X","start":"2022-01-01T00:00","end":"2022-01-01T01:00","min":1,"max":1,"quotass":[]}]}"#;
        let e = parse_json::<Scenario>(text, "x.json").unwrap_err();
        match e {
            LoadError::Shape { path, message, .. } => {
                assert_eq!(path, "shifts[0].quotass");
                assert!(message.contains("quotass"), "{message}");
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn stale_temporaries_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r.json");
        // A process id that cannot be alive (above the kernel's maximum).
        let dead = format!(".r.json.4294967295.abc123{TEMP_SUFFIX}");
        let alive = format!(".r.json.{}.def456{TEMP_SUFFIX}", std::process::id());
        let other = format!(".r.json.1.4294967295.x{TEMP_SUFFIX}");
        for name in [&dead, &alive, &other] {
            std::fs::write(dir.path().join(name), b"partial").unwrap();
        }
        write_atomic(&target, b"whole\n").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"whole\n");
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(TEMP_SUFFIX))
            .collect();
        assert!(!left.contains(&dead), "{left:?}");
        assert!(left.contains(&alive), "a live writer's file was removed");
        assert!(left.contains(&other), "another target's file was removed");
        assert_eq!(left.len(), 2, "{left:?}");
    }
}
