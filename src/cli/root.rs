//! Which folder is the Evident root when a command is given no PATH: like git and cargo, the
//! nearest folder from the current one up that holds `evident.yaml`, never above the git
//! repository's root (or the filesystem root outside a repository).

use std::path::{Path, PathBuf};

/// The configuration file that marks an Evident root.
const CONFIG: &str = "evident.yaml";
/// The documents folder of a repository without `evident.yaml` (its default).
const DEFAULT_DOCUMENTS: &str = "policies";

/// The root found from `cwd`, as a path relative to it (`.`, `..`, `../..`…).
///
/// The nearest ancestor (including `cwd`) holding `evident.yaml`; the search stops at the first
/// folder holding `.git`. When none holds `evident.yaml`, that git root is used if it has the
/// default `policies/` folder; otherwise `.`, as before discovery existed.
pub fn discover(cwd: &Path) -> PathBuf {
    let mut git_root = None;
    for (depth, dir) in cwd.ancestors().enumerate() {
        if dir.join(CONFIG).is_file() {
            return up(depth);
        }
        if dir.join(".git").exists() {
            git_root = Some(depth);
            break;
        }
    }
    match git_root {
        Some(depth)
            if depth > 0
                && cwd
                    .ancestors()
                    .nth(depth)
                    .is_some_and(|d| d.join(DEFAULT_DOCUMENTS).is_dir()) =>
        {
            up(depth)
        }
        _ => PathBuf::from("."),
    }
}

/// `depth` levels up, relative: `.` for 0.
fn up(depth: usize) -> PathBuf {
    if depth == 0 {
        return PathBuf::from(".");
    }
    (0..depth).map(|_| "..").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_nearest_config_below_the_git_root() {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = dir.path().join("repo");
        let deep = repo.join("policies/processes");
        std::fs::create_dir_all(&deep).expect("mkdir");
        std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
        std::fs::write(repo.join(CONFIG), "").expect("write");
        assert_eq!(discover(&deep), PathBuf::from("../.."));
        assert_eq!(discover(&repo), PathBuf::from("."));
        // A config above the git root is never used.
        let sub = repo.join("sub");
        std::fs::create_dir_all(sub.join(".git")).expect("mkdir");
        std::fs::create_dir_all(sub.join("x")).expect("mkdir");
        assert_eq!(discover(&sub.join("x")), PathBuf::from("."));
        // Without a config, a git root with `policies/` is the root.
        std::fs::create_dir_all(sub.join("policies/a")).expect("mkdir");
        assert_eq!(discover(&sub.join("policies/a")), PathBuf::from("../.."));
    }
}
