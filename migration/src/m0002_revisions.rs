//! Revisions: a BOM's place in its revision chain, and program lines that follow a chain.
//!
//! A BOM whose `chain_id` is null heads its own chain; a revision names its chain's first
//! BOM there and the revision it was made from in `previous_revision_id`. The links carry
//! no foreign keys (SQLite cannot add one to an existing table): only a draft is ever
//! deleted, and no revision is made from a draft, so nothing points at a deleted row.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The label every existing BOM gets: the first revision of its own chain.
const FIRST_LABEL: &str = "A";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let add = |col: ColumnDef| Table::alter().table("bom").add_column(col).take();
        m.alter_table(add(string("revision").default(FIRST_LABEL).take()))
            .await?;
        m.alter_table(add(integer_null("chain_id"))).await?;
        m.alter_table(add(integer_null("previous_revision_id")))
            .await?;
        m.create_index(
            Index::create()
                .name("idx_bom_chain_id")
                .table("bom")
                .col("chain_id")
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("program_line")
                .add_column(boolean("follow_latest").default(false).take())
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("program_line")
                .drop_column("follow_latest")
                .take(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("idx_bom_chain_id")
                .table("bom")
                .to_owned(),
        )
        .await?;
        for col in ["previous_revision_id", "chain_id", "revision"] {
            m.alter_table(Table::alter().table("bom").drop_column(col).take())
                .await?;
        }
        Ok(())
    }
}
