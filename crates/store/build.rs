// `sqlx::migrate!` embeds the migration folders at compile time; without this, adding a file to
// them would not rebuild the crate and a binary could ship without its newest migration.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=migrations/sqlite");
    println!("cargo:rerun-if-changed=migrations/postgres");
}
