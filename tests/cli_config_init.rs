//! `socops config init` writes its example through the one writer of new files: 0600 in a
//! 0700 directory, and a name that is taken (a file, or a symbolic link, which is never
//! followed) is left as it is.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod bin_common;

use std::path::Path;

fn init(home: &Path) -> (bool, String) {
    let o = bin_common::socops(home, &["config", "init"]);
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
    )
}

#[test]
fn init_writes_a_private_example_once() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("config").join("config.toml");
    let (ok, out) = init(home.path());
    assert!(ok, "{out}");
    assert!(out.contains("wrote an example config"), "{out}");
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("[profiles.contoso]")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(file.parent().unwrap()), 0o700);
    }
    std::fs::write(&file, "default_profile = \"mine\"\n").unwrap();
    let (ok, out) = init(home.path());
    assert!(
        ok && out.contains("already exists; left unchanged"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "default_profile = \"mine\"\n"
    );
    assert_eq!(
        bin_common::temp_files(file.parent().unwrap()),
        Vec::<String>::new()
    );
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_link_at_the_config_name() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config");
    std::fs::create_dir_all(&dir).unwrap();
    let elsewhere = home.path().join("elsewhere.toml");
    std::os::unix::fs::symlink(&elsewhere, dir.join("config.toml")).unwrap();
    let (ok, out) = init(home.path());
    assert!(
        ok && out.contains("already exists; left unchanged"),
        "{out}"
    );
    assert!(!elsewhere.exists());
}
