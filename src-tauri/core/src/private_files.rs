//! Rehome's own files hold who converted whom: on Unix they are created readable by their owner
//! only (folders 0700, files 0600) – created that way, never opened up and tightened afterwards.
//! (On Windows the per-user app-data folders already belong to the user.)

use std::{fs, io, path::Path};

/// Creates `dir` and its missing parents, each new one private.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Opens `path` for writing from the start, creating it private if it is not there.
pub fn create_file(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Makes sure `path` exists, created private, without touching what it holds.
pub fn ensure_file(path: &Path) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

// Unix modes only: on Windows the folders inherit their access from the user's profile folder.
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn folders_and_files_are_created_for_their_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        create_dir(&nested).unwrap();
        assert_eq!((mode(&dir.path().join("a")), mode(&nested)), (0o700, 0o700));
        let file = nested.join("x.json");
        std::io::Write::write_all(&mut create_file(&file).unwrap(), b"{}").unwrap();
        assert_eq!(mode(&file), 0o600);
        ensure_file(&nested.join("y")).unwrap();
        assert_eq!(mode(&nested.join("y")), 0o600);
    }
}
