//! Secrets generated on first run and kept in the data directory, never in the repository.

use std::io::Write;
use std::path::Path;

use actix_web::cookie::Key;
use anyhow::Context;

const COOKIE_KEY_FILE: &str = "cookie.key";

/// The key that signs and encrypts session cookies. Every app server behind one load balancer
/// must use the same file (copy it, or share the data directory).
pub fn cookie_key(data_dir: &Path) -> anyhow::Result<Key> {
    let path = data_dir.join(COOKIE_KEY_FILE);
    match std::fs::read(&path) {
        Ok(bytes) if bytes.len() >= 64 => Ok(Key::from(&bytes[..64])),
        Ok(_) => anyhow::bail!(
            "{} is shorter than 64 bytes; remove it to make a new one",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = Key::generate();
            let mut file = create_private(&path)?;
            file.write_all(key.master())?;
            tracing::info!(path = %path.display(), "generated a new cookie key");
            Ok(key)
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Creates a file only its owner can read (the key and the demo credentials).
pub fn create_private(path: &Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))
}

/// Creates a folder (and its parents) that only its owner can enter; an existing one is left
/// as it is (its owner may have chosen otherwise).
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Makes an existing file readable and writable by its owner only (the SQLite database; SQLite
/// gives its -wal and -shm files the database file's permissions).
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_key_is_made_once_and_then_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = super::cookie_key(dir.path()).expect("new key");
        let second = super::cookie_key(dir.path()).expect("same key");
        assert_eq!(first.master(), second.master());
        let other = tempfile::tempdir().expect("tempdir");
        assert_ne!(
            super::cookie_key(other.path()).expect("key").master(),
            first.master()
        );
    }
}
