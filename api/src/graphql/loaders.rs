//! DataLoaders, created per request so that the principal's tenancy applies to every batch.
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use entity::{
    bom, bom_line, part, part_override, price_break, program_line, substitute, supplier_offer,
};
use service::auth::Principal;
use service::figures::{load_bundle, LineBundle, LineRef};
use service::DatabaseConnection;

use super::error::to_gql;

type LoadResult<K, V> = Result<HashMap<K, V>, async_graphql::Error>;

#[derive(Clone)]
pub struct Scope {
    db: DatabaseConnection,
    principal: Arc<Principal>,
}

/// Groups rows under a key, keeping their order.
fn group<K: std::hash::Hash + Eq, V>(rows: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut out: HashMap<K, Vec<V>> = HashMap::new();
    for row in rows {
        out.entry(key(&row)).or_default().push(row);
    }
    out
}

pub struct PartLoader(Scope);
impl Loader<i32> for PartLoader {
    type Value = part::Model;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, part::Model> {
        let rows = service::part::by_ids(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(rows.into_iter().map(|p| (p.id, p)).collect())
    }
}

pub struct BomLoader(Scope);
impl Loader<i32> for BomLoader {
    type Value = bom::Model;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, bom::Model> {
        let rows = service::bom::by_ids(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(rows.into_iter().map(|b| (b.id, b)).collect())
    }
}

/// The revisions of each chain, oldest first (key: the chain's first BOM).
pub struct ChainLoader(Scope);
impl Loader<i32> for ChainLoader {
    type Value = Arc<Vec<bom::Model>>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Arc<Vec<bom::Model>>> {
        let chains = service::revision::chains(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(chains.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

pub struct LineLoader(Scope);
impl Loader<i32> for LineLoader {
    type Value = bom_line::Model;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, bom_line::Model> {
        let rows = service::bom_line::by_ids(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(rows.into_iter().map(|l| (l.id, l)).collect())
    }
}

/// Lines of each BOM (key: BOM id).
pub struct LinesByBomLoader(Scope);
impl Loader<i32> for LinesByBomLoader {
    /// Shared, so that every alias of one BOM's lines costs a pointer, not a copy.
    type Value = Arc<Vec<bom_line::Model>>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Arc<Vec<bom_line::Model>>> {
        let rows = service::bom_line::for_boms(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(group(rows, |l| l.bom_id)
            .into_iter()
            .map(|(k, v)| (k, Arc::new(v)))
            .collect())
    }
}

/// Everything the lines of one batch need: parts, substitutes, variants, offers, breaks.
/// All keys of a batch share one bundle.
pub struct LineBundleLoader(Scope);
impl Loader<LineRef> for LineBundleLoader {
    type Value = Arc<LineBundle>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[LineRef]) -> LoadResult<LineRef, Arc<LineBundle>> {
        let bundle = Arc::new(
            load_bundle(&self.0.db, &self.0.principal, keys)
                .await
                .map_err(to_gql)?,
        );
        Ok(keys.iter().map(|k| (k.clone(), bundle.clone())).collect())
    }
}

/// The lines of each BOM together with one bundle for all lines of the batch (key: BOM id).
/// `Bom.lines` uses it when the selection needs parts, substitutes or figures, so a whole
/// BOM costs a fixed number of statements however its fields are scheduled.
pub struct BomLinesBundleLoader(Scope);
impl Loader<i32> for BomLinesBundleLoader {
    type Value = (Arc<Vec<bom_line::Model>>, Arc<LineBundle>);
    type Error = async_graphql::Error;
    async fn load(
        &self,
        keys: &[i32],
    ) -> LoadResult<i32, (Arc<Vec<bom_line::Model>>, Arc<LineBundle>)> {
        let (db, p) = (&self.0.db, &self.0.principal);
        let lines = service::bom_line::for_boms(db, p, keys)
            .await
            .map_err(to_gql)?;
        let refs: Vec<LineRef> = lines.iter().map(LineRef::from).collect();
        let bundle = Arc::new(load_bundle(db, p, &refs).await.map_err(to_gql)?);
        let mut by_bom = group(lines, |l| l.bom_id);
        Ok(keys
            .iter()
            .map(|k| {
                let lines = Arc::new(by_bom.remove(k).unwrap_or_default());
                (*k, (lines, bundle.clone()))
            })
            .collect())
    }
}

/// Substitutes of each line (key: line id), for lines reached without a bundle.
pub struct SubstitutesByLineLoader(Scope);
impl Loader<i32> for SubstitutesByLineLoader {
    type Value = Vec<substitute::Model>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Vec<substitute::Model>> {
        let rows = service::substitute::for_lines(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(group(rows, |s| s.bom_line_id))
    }
}

/// Offers of each part (key: part id).
pub struct OffersByPartLoader(Scope);
impl Loader<i32> for OffersByPartLoader {
    type Value = Vec<supplier_offer::Model>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Vec<supplier_offer::Model>> {
        let rows = service::part::offers_for_parts(&self.0.db, keys)
            .await
            .map_err(to_gql)?;
        Ok(group(rows, |o| o.part_id))
    }
}

/// Price breaks of each offer (key: offer id).
pub struct BreaksByOfferLoader(Scope);
impl Loader<i32> for BreaksByOfferLoader {
    type Value = Vec<price_break::Model>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Vec<price_break::Model>> {
        let rows = service::part::breaks_for_offers(&self.0.db, keys)
            .await
            .map_err(to_gql)?;
        Ok(group(rows, |b| b.offer_id))
    }
}

pub struct ProgramLinesLoader(Scope);
impl Loader<i32> for ProgramLinesLoader {
    type Value = Vec<program_line::Model>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Vec<program_line::Model>> {
        let rows = service::program::lines_for(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(group(rows, |l| l.program_id))
    }
}

pub struct OverridesLoader(Scope);
impl Loader<i32> for OverridesLoader {
    type Value = Vec<part_override::Model>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Vec<part_override::Model>> {
        let rows = service::program::overrides_for(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(group(rows, |o| o.program_id))
    }
}

/// Loads each key at most once per request. A DataLoader batches the keys asked for within
/// its delay, but a key asked for again after its batch has left starts another batch:
/// 400 aliases of one BOM's lines, resolved over more than a millisecond, would load the
/// BOM's lines and their bundle several times over. Callers of one key share one load.
pub struct Once<V> {
    cells: Arc<std::sync::Mutex<Cells<V>>>,
}

type Cells<V> = HashMap<i32, Arc<tokio::sync::OnceCell<V>>>;

impl<V: Clone> Default for Once<V> {
    fn default() -> Self {
        Self {
            cells: Default::default(),
        }
    }
}

impl<V: Clone> Once<V> {
    pub async fn get<F, Fut>(&self, key: i32, load: F) -> async_graphql::Result<V>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = async_graphql::Result<V>>,
    {
        let cell = self
            .cells
            .lock()
            .expect("loader cells")
            .entry(key)
            .or_default()
            .clone();
        cell.get_or_try_init(load).await.cloned()
    }

    /// Drops what was loaded, from wherever the handle is kept.
    fn forgetter(&self) -> impl Fn() + Send + Sync + 'static
    where
        V: Send + Sync + 'static,
    {
        let cells = self.cells.clone();
        move || cells.lock().expect("loader cells").clear()
    }
}

/// A BOM's lines, shared by every field that asks for them in one request.
pub type BomLines = Arc<Vec<bom_line::Model>>;

pub struct Loaders {
    /// One load per BOM of its lines (and, with the bundle, of everything they show).
    pub bom_lines_once: Once<BomLines>,
    pub bom_bundles_once: Once<(BomLines, Arc<LineBundle>)>,
    pub parts: DataLoader<PartLoader>,
    pub boms: DataLoader<BomLoader>,
    pub chains: DataLoader<ChainLoader>,
    pub lines: DataLoader<LineLoader>,
    pub lines_by_bom: DataLoader<LinesByBomLoader>,
    pub line_bundles: DataLoader<LineBundleLoader>,
    pub bom_lines_bundles: DataLoader<BomLinesBundleLoader>,
    pub substitutes_by_line: DataLoader<SubstitutesByLineLoader>,
    pub offers_by_part: DataLoader<OffersByPartLoader>,
    pub breaks_by_offer: DataLoader<BreaksByOfferLoader>,
    pub program_lines: DataLoader<ProgramLinesLoader>,
    pub overrides: DataLoader<OverridesLoader>,
}

impl Loaders {
    /// Makes every later load read the database again: a subscription's loaders live as
    /// long as it does, and each of its events must show the rows as they are then.
    pub fn forgetter(&self) -> impl Fn() + Send + Sync + 'static {
        let (lines, bundles) = (
            self.bom_lines_once.forgetter(),
            self.bom_bundles_once.forgetter(),
        );
        move || {
            lines();
            bundles();
        }
    }

    /// A BOM's lines, loaded once per request.
    pub async fn bom_lines(&self, bom_id: i32) -> async_graphql::Result<BomLines> {
        self.bom_lines_once
            .get(bom_id, || async {
                Ok(self
                    .lines_by_bom
                    .load_one(bom_id)
                    .await?
                    .unwrap_or_default())
            })
            .await
    }

    /// A BOM's lines with the bundle they read, loaded once per request.
    pub async fn bom_lines_bundle(
        &self,
        bom_id: i32,
    ) -> async_graphql::Result<(BomLines, Arc<LineBundle>)> {
        self.bom_bundles_once
            .get(bom_id, || async {
                Ok(self
                    .bom_lines_bundles
                    .load_one(bom_id)
                    .await?
                    .unwrap_or_default())
            })
            .await
    }

    pub fn new(db: DatabaseConnection, principal: Arc<Principal>) -> Self {
        let scope = Scope { db, principal };
        Self {
            bom_lines_once: Once::default(),
            bom_bundles_once: Once::default(),
            parts: DataLoader::new(PartLoader(scope.clone()), tokio::spawn),
            boms: DataLoader::new(BomLoader(scope.clone()), tokio::spawn),
            chains: DataLoader::new(ChainLoader(scope.clone()), tokio::spawn),
            lines: DataLoader::new(LineLoader(scope.clone()), tokio::spawn),
            lines_by_bom: DataLoader::new(LinesByBomLoader(scope.clone()), tokio::spawn),
            line_bundles: DataLoader::new(LineBundleLoader(scope.clone()), tokio::spawn),
            bom_lines_bundles: DataLoader::new(BomLinesBundleLoader(scope.clone()), tokio::spawn),
            substitutes_by_line: DataLoader::new(
                SubstitutesByLineLoader(scope.clone()),
                tokio::spawn,
            ),
            offers_by_part: DataLoader::new(OffersByPartLoader(scope.clone()), tokio::spawn),
            breaks_by_offer: DataLoader::new(BreaksByOfferLoader(scope.clone()), tokio::spawn),
            program_lines: DataLoader::new(ProgramLinesLoader(scope.clone()), tokio::spawn),
            overrides: DataLoader::new(OverridesLoader(scope), tokio::spawn),
        }
    }
}
