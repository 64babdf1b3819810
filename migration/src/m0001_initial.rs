//! The whole domain model of the first release.
//!
//! Exact decimals are text columns (`dec`): see the `entity` crate docs for why.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .if_not_exists()
        .col(pk_auto("id"))
        .take()
}

/// A column for an exact decimal, stored as its canonical string.
fn dec(name: &'static str) -> ColumnDef {
    string(name)
}

fn dec_null(name: &'static str) -> ColumnDef {
    string_null(name)
}

fn fk(
    from: &'static str,
    col: &'static str,
    to: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{col}"))
        .from(from, col)
        .to(to, "id")
        .on_delete(on_delete)
        .take()
}

/// `team_id` plus its foreign key: every tenant-owned row carries its team.
fn tenant(t: &mut TableCreateStatement, name: &'static str) {
    t.col(integer("team_id")).foreign_key(&mut fk(
        name,
        "team_id",
        "team",
        ForeignKeyAction::Cascade,
    ));
}

fn index(table: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(format!("ix_{table}_{}", cols.join("_")))
        .table(table)
        .if_not_exists();
    for c in cols {
        i.col(*c);
    }
    i.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        m.create_table(
            table("team")
                .col(string_uniq("name"))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await?;

        m.create_table(
            table("user")
                .col(string_uniq("username"))
                .col(string("password_hash"))
                .col(boolean("is_active"))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await?;

        m.create_table(
            table("membership")
                .col(integer("user_id"))
                .col(integer("team_id"))
                .col(string("role"))
                .foreign_key(&mut fk("membership", "user_id", "user", Cascade))
                .foreign_key(&mut fk("membership", "team_id", "team", Cascade))
                .take(),
        )
        .await?;
        m.create_index(index("membership", &["user_id", "team_id"]).unique().take())
            .await?;
        m.create_index(index("membership", &["team_id"])).await?;

        m.create_table(
            table("api_token")
                .col(integer("user_id"))
                .col(string("name"))
                .col(string_uniq("key_hash"))
                .col(timestamp_with_time_zone("created_at"))
                .col(boolean("revoked"))
                .foreign_key(&mut fk("api_token", "user_id", "user", Cascade))
                .take(),
        )
        .await?;
        m.create_index(index("api_token", &["user_id"])).await?;

        let mut part = table("part");
        tenant(&mut part, "part");
        part.col(string("name"))
            .col(string("ipn"))
            .col(text("description"))
            .col(string("mpn"))
            .col(string("mpn_key"))
            .col(string("mpn_loose_key"))
            .col(string("manufacturer"))
            .col(string("revision"))
            .col(string("units"))
            .col(text("keywords"))
            .col(text("link"))
            .col(boolean("active"))
            .col(boolean("assembly"))
            .col(boolean("component"))
            .col(boolean("purchaseable"))
            .col(boolean("salable"))
            .col(boolean("trackable"))
            .col(boolean("is_virtual"))
            .col(boolean("is_template"))
            .col(integer_null("variant_of"))
            .col(dec("in_stock"))
            .col(dec("allocated"))
            .col(dec("on_order"))
            .col(dec("building"))
            .col(dec("external_stock"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(&mut fk("part", "variant_of", "part", SetNull));
        m.create_table(part).await?;
        for cols in [
            &["team_id", "name"][..],
            &["team_id", "ipn"],
            &["team_id", "mpn_key"],
            &["team_id", "mpn_loose_key"],
            &["variant_of"],
        ] {
            m.create_index(index("part", cols)).await?;
        }

        let mut offer = table("supplier_offer");
        tenant(&mut offer, "supplier_offer");
        offer
            .col(integer("part_id"))
            .col(string("supplier"))
            .col(string("sku"))
            .col(dec("stock"))
            .col(dec("moq"))
            .col(dec("order_multiple"))
            .col(integer_null("lead_days"))
            .col(string("currency"))
            .foreign_key(&mut fk("supplier_offer", "part_id", "part", Cascade));
        m.create_table(offer).await?;
        m.create_index(index("supplier_offer", &["part_id"]))
            .await?;
        m.create_index(index("supplier_offer", &["team_id"]))
            .await?;

        let mut price_break = table("price_break");
        tenant(&mut price_break, "price_break");
        price_break
            .col(integer("offer_id"))
            .col(dec("quantity"))
            .col(dec("unit_price"))
            .foreign_key(&mut fk(
                "price_break",
                "offer_id",
                "supplier_offer",
                Cascade,
            ));
        m.create_table(price_break).await?;
        m.create_index(index("price_break", &["offer_id"])).await?;
        m.create_index(index("price_break", &["team_id"])).await?;

        let mut bom = table("bom");
        tenant(&mut bom, "bom");
        bom.col(string("name"))
            .col(string("version"))
            .col(string("part_number"))
            .col(text("description"))
            .col(integer_null("assembly_part_id"))
            .col(boolean("approved"))
            .col(timestamp_with_time_zone_null("approved_at"))
            .col(integer_null("approved_by"))
            .col(boolean("archived"))
            .col(json_binary_null("metadata"))
            .col(string_null("integration_record_id"))
            .col(boolean("synced_from_integration"))
            .col(string_null("integration_source_name"))
            .col(timestamp_with_time_zone_null("synced_from_integration_at"))
            .col(integer_null("clear_on_import_by"))
            .col(timestamp_with_time_zone_null("clear_on_import_until"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(&mut fk("bom", "assembly_part_id", "part", Restrict))
            .foreign_key(&mut fk("bom", "approved_by", "user", SetNull));
        m.create_table(bom).await?;
        for cols in [
            &["team_id", "name", "version"][..],
            &["assembly_part_id"],
            &["team_id", "integration_record_id"],
            &["approved_by"],
        ] {
            m.create_index(index("bom", cols)).await?;
        }

        let mut line = table("bom_line");
        tenant(&mut line, "bom_line");
        line.col(integer("bom_id"))
            .col(integer_null("part_id"))
            .col(dec("quantity"))
            .col(json_binary("reference_designators"))
            .col(text("reference"))
            .col(text("note"))
            .col(string("overage"))
            .col(boolean("optional"))
            .col(boolean("consumable"))
            .col(boolean("inherited"))
            .col(boolean("allow_variants"))
            .col(string_null("validation_hash"))
            .col(string_null("custom_id"))
            .col(string_null("mpn"))
            .col(json_binary("alternative_mpns"))
            .col(string_null("manufacturer_name"))
            .col(text_null("description"))
            .col(text_null("link"))
            .col(text_null("comments"))
            .col(boolean("do_not_place"))
            .col(string_null("line_number"))
            .col(string_null("value"))
            .col(string_null("package"))
            .col(string_null("mount_type"))
            .col(boolean("is_custom_part"))
            .col(string("match_status"))
            .col(json_binary("match_candidates"))
            .col(json_binary_null("metadata"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(&mut fk("bom_line", "bom_id", "bom", Cascade))
            .foreign_key(&mut fk("bom_line", "part_id", "part", Restrict));
        m.create_table(line).await?;
        for cols in [
            &["bom_id"][..],
            &["part_id"],
            &["team_id", "validation_hash"],
            &["team_id", "optional"],
            &["team_id", "consumable"],
            &["team_id", "inherited"],
            &["team_id", "allow_variants"],
        ] {
            m.create_index(index("bom_line", cols)).await?;
        }

        let mut sub = table("substitute");
        tenant(&mut sub, "substitute");
        sub.col(integer("bom_line_id"))
            .col(integer("part_id"))
            .col(json_binary_null("metadata"))
            .foreign_key(&mut fk("substitute", "bom_line_id", "bom_line", Cascade))
            .foreign_key(&mut fk("substitute", "part_id", "part", Restrict));
        m.create_table(sub).await?;
        m.create_index(
            index("substitute", &["bom_line_id", "part_id"])
                .unique()
                .take(),
        )
        .await?;
        m.create_index(index("substitute", &["part_id"])).await?;
        m.create_index(index("substitute", &["team_id"])).await?;

        let mut program = table("program");
        tenant(&mut program, "program");
        program
            .col(string("name"))
            .col(string("status"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"));
        m.create_table(program).await?;
        m.create_index(index("program", &["team_id", "status"]))
            .await?;

        let mut pline = table("program_line");
        tenant(&mut pline, "program_line");
        pline
            .col(integer("program_id"))
            .col(integer("bom_id"))
            .col(dec("quantity"))
            .foreign_key(&mut fk("program_line", "program_id", "program", Cascade))
            .foreign_key(&mut fk("program_line", "bom_id", "bom", Restrict));
        m.create_table(pline).await?;
        m.create_index(index("program_line", &["program_id"]))
            .await?;
        m.create_index(index("program_line", &["bom_id"])).await?;
        m.create_index(index("program_line", &["team_id"])).await?;

        let mut po = table("part_override");
        tenant(&mut po, "part_override");
        po.col(integer("program_id"))
            .col(integer("part_id"))
            .col(boolean("exclude"))
            .col(integer_null("replacement_part_id"))
            .col(dec_null("on_hand_quantity"))
            .col(dec_null("unit_price"))
            .col(string_null("currency"))
            .foreign_key(&mut fk("part_override", "program_id", "program", Cascade))
            .foreign_key(&mut fk("part_override", "part_id", "part", Cascade))
            .foreign_key(&mut fk(
                "part_override",
                "replacement_part_id",
                "part",
                Restrict,
            ));
        m.create_table(po).await?;
        m.create_index(
            index("part_override", &["program_id", "part_id"])
                .unique()
                .take(),
        )
        .await?;
        m.create_index(index("part_override", &["part_id"])).await?;
        m.create_index(index("part_override", &["replacement_part_id"]))
            .await?;
        m.create_index(index("part_override", &["team_id"])).await?;

        let mut alias = table("manufacturer_alias");
        tenant(&mut alias, "manufacturer_alias");
        alias
            .col(string("alias_key"))
            .col(string("alias"))
            .col(string("manufacturer"));
        m.create_table(alias).await?;
        m.create_index(
            index("manufacturer_alias", &["team_id", "alias_key"])
                .unique()
                .take(),
        )
        .await?;

        let mut job = table("job");
        tenant(&mut job, "job");
        job.col(string("kind"))
            .col(string("status"))
            .col(integer("progress"))
            .col(json_binary("payload"))
            .col(json_binary_null("result"))
            .col(text_null("error"))
            .col(integer("attempts"))
            .col(string_null("locked_by"))
            .col(timestamp_with_time_zone_null("locked_until"))
            .col(integer_null("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("started_at"))
            .col(timestamp_with_time_zone_null("finished_at"))
            .foreign_key(&mut fk("job", "created_by", "user", SetNull));
        m.create_table(job).await?;
        m.create_index(index("job", &["status", "created_at"]))
            .await?;
        m.create_index(index("job", &["team_id"])).await?;
        m.create_index(index("job", &["created_by"])).await?;
        Ok(())
    }
}
