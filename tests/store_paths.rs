//! The env overrides of the config and data dirs (its own test binary: it sets env vars).

use socops::store::paths;

#[test]
fn env_overrides_config_and_data_dirs() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("cfg");
    let data = tmp.path().join("data");
    // SAFETY: the only test in this binary, so no other thread reads the environment.
    unsafe {
        std::env::set_var(paths::CONFIG_DIR_ENV, &cfg);
        std::env::set_var(paths::DATA_DIR_ENV, &data);
    }
    assert_eq!(paths::config_dir().unwrap(), cfg);
    assert_eq!(paths::data_dir().unwrap(), data);
    assert_eq!(paths::config_file().unwrap(), cfg.join("config.toml"));
}
