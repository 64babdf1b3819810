//! Schema migrations; one set serves SQLite and PostgreSQL. Demo data is not a migration.
pub use sea_orm_migration::prelude::*;

mod m0001_initial;
mod m0002_revisions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_initial::Migration),
            Box::new(m0002_revisions::Migration),
        ]
    }
}
