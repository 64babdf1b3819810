//! Matching raw BOM lines (as a CAD tool exports them) to catalogue parts.
//!
//! Order of attempts: exact MPN with the manufacturer, exact MPN, the alternative MPNs, then
//! looser keys (punctuation removed; then packaging suffixes removed). One candidate is a
//! match; several are ambiguous (the candidates are kept); none is no match. A line is never
//! dropped. A whole BOM is matched with a few statements, whatever its size.
use std::collections::{HashMap, HashSet};

use entity::{manufacturer_alias, part};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::ServiceResult;

/// Packaging and ordering suffixes that do not change the part (tape and reel, cut tape,
/// lead-free marks, distributor suffixes).
const PACKAGING_SUFFIXES: [&str; 12] = [
    "TR", "CT", "ND", "DKR", "REEL", "TRPBF", "PBF", "LF", "T", "R", "G4", "E3",
];

/// Upper-cased and trimmed: the exact form.
pub fn mpn_exact(mpn: &str) -> String {
    mpn.trim().to_uppercase()
}

/// Upper-cased with everything but letters and digits removed.
pub fn mpn_key(mpn: &str) -> String {
    mpn.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The key without a trailing packaging suffix (`LM358DR-TR` and `LM358DR` meet here).
pub fn mpn_loose_key(mpn: &str) -> String {
    let exact = mpn_exact(mpn);
    // only suffixes set off by punctuation count, so "LM358DR" keeps its R
    for sep in ['-', '/', '#', ',', '.', ' '] {
        if let Some((head, tail)) = exact.rsplit_once(sep) {
            if PACKAGING_SUFFIXES.contains(&tail) && !head.is_empty() {
                return mpn_key(head);
            }
        }
    }
    mpn_key(&exact)
}

/// Manufacturer names compared without case, punctuation or corporate suffixes.
pub fn manufacturer_key(name: &str) -> String {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| {
            ![
                "inc",
                "ltd",
                "llc",
                "corp",
                "corporation",
                "co",
                "gmbh",
                "ag",
                "sa",
                "plc",
                "limited",
                "incorporated",
            ]
            .contains(w)
        })
        .collect();
    words.concat()
}

/// What a raw line offers for matching.
#[derive(Debug, Clone, Default)]
pub struct RawPart {
    pub mpn: Option<String>,
    pub manufacturer: Option<String>,
    pub alternative_mpns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Matched(i32),
    Ambiguous(Vec<i32>),
    NoMatch,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub outcome: Outcome,
    /// Parts matched by alternative MPNs, other than the line's own part: substitutes.
    pub substitutes: Vec<i32>,
}

/// The team's catalogue, indexed for the lines being matched.
pub struct Catalogue {
    parts: HashMap<i32, part::Model>,
    by_key: HashMap<String, Vec<i32>>,
    by_loose: HashMap<String, Vec<i32>>,
    /// manufacturer key -> canonical manufacturer key
    aliases: HashMap<String, String>,
}

/// Loads the parts any of `lines` could match: two indexed statements per 500 keys, plus
/// the team's manufacturer aliases.
pub async fn catalogue(
    db: &impl ConnectionTrait,
    team_id: i32,
    lines: &[RawPart],
) -> ServiceResult<Catalogue> {
    let mut keys = HashSet::new();
    let mut loose = HashSet::new();
    for l in lines {
        for mpn in l.mpn.iter().chain(&l.alternative_mpns) {
            if !mpn_key(mpn).is_empty() {
                keys.insert(mpn_key(mpn));
                loose.insert(mpn_loose_key(mpn));
            }
        }
    }
    let mut parts = HashMap::new();
    for (col, set) in [
        (part::Column::MpnKey, keys),
        (part::Column::MpnLooseKey, loose),
    ] {
        let values: Vec<String> = set.into_iter().collect();
        for chunk in values.chunks(500) {
            let found = part::Entity::find()
                .filter(part::Column::TeamId.eq(team_id))
                .filter(part::Column::Active.eq(true))
                .filter(col.is_in(chunk.iter().cloned()))
                .all(db)
                .await?;
            for p in found {
                parts.insert(p.id, p);
            }
        }
    }
    let aliases = manufacturer_alias::Entity::find()
        .filter(manufacturer_alias::Column::TeamId.eq(team_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.alias_key, manufacturer_key(&a.manufacturer)))
        .collect();
    let mut by_key: HashMap<String, Vec<i32>> = HashMap::new();
    let mut by_loose: HashMap<String, Vec<i32>> = HashMap::new();
    let mut ids: Vec<&part::Model> = parts.values().collect();
    ids.sort_by_key(|p| p.id);
    for p in ids {
        by_key.entry(p.mpn_key.clone()).or_default().push(p.id);
        by_loose
            .entry(p.mpn_loose_key.clone())
            .or_default()
            .push(p.id);
    }
    Ok(Catalogue {
        parts,
        by_key,
        by_loose,
        aliases,
    })
}

impl Catalogue {
    pub fn part(&self, id: i32) -> Option<&part::Model> {
        self.parts.get(&id)
    }

    fn canonical(&self, manufacturer: &str) -> String {
        let key = manufacturer_key(manufacturer);
        self.aliases.get(&key).cloned().unwrap_or(key)
    }

    /// Parts whose MPN is exactly this one (case and surrounding space aside).
    fn exact(&self, mpn: &str) -> Vec<i32> {
        let wanted = mpn_exact(mpn);
        self.by_key
            .get(&mpn_key(mpn))
            .into_iter()
            .flatten()
            .filter(|id| mpn_exact(&self.parts[id].mpn) == wanted)
            .copied()
            .collect()
    }

    /// Narrows candidates to the manufacturer when that leaves any.
    fn by_manufacturer(&self, candidates: Vec<i32>, manufacturer: Option<&str>) -> Vec<i32> {
        let Some(m) = manufacturer.filter(|m| !m.trim().is_empty()) else {
            return candidates;
        };
        let wanted = self.canonical(m);
        let narrowed: Vec<i32> = candidates
            .iter()
            .copied()
            .filter(|id| self.canonical(&self.parts[id].manufacturer) == wanted)
            .collect();
        if narrowed.is_empty() {
            candidates
        } else {
            narrowed
        }
    }

    fn decide(candidates: Vec<i32>) -> Option<Outcome> {
        match candidates.len() {
            0 => None,
            1 => Some(Outcome::Matched(candidates[0])),
            _ => Some(Outcome::Ambiguous(candidates)),
        }
    }

    /// The first alternative MPN with exactly one part, for each alternative.
    fn alternative_parts(&self, raw: &RawPart) -> Vec<i32> {
        let mut out = Vec::new();
        for alt in &raw.alternative_mpns {
            let found = self.by_manufacturer(self.exact(alt), raw.manufacturer.as_deref());
            if let [one] = found.as_slice() {
                if !out.contains(one) {
                    out.push(*one);
                }
            }
        }
        out
    }

    pub fn match_line(&self, raw: &RawPart) -> Match {
        let alternatives = self.alternative_parts(raw);
        let manufacturer = raw.manufacturer.as_deref();
        let mut outcome = None;
        if let Some(mpn) = raw.mpn.as_deref().filter(|m| !m.trim().is_empty()) {
            let exact = self.exact(mpn);
            outcome = Self::decide(self.by_manufacturer(exact, manufacturer));
            if outcome.is_none() {
                if let Some(first) = alternatives.first() {
                    outcome = Some(Outcome::Matched(*first));
                }
            }
            if outcome.is_none() {
                let keyed = self.by_key.get(&mpn_key(mpn)).cloned().unwrap_or_default();
                outcome = Self::decide(self.by_manufacturer(keyed, manufacturer));
            }
            if outcome.is_none() {
                let loose = self
                    .by_loose
                    .get(&mpn_loose_key(mpn))
                    .cloned()
                    .unwrap_or_default();
                outcome = Self::decide(self.by_manufacturer(loose, manufacturer));
            }
        } else if let Some(first) = alternatives.first() {
            outcome = Some(Outcome::Matched(*first));
        }
        let outcome = outcome.unwrap_or(Outcome::NoMatch);
        let own = match &outcome {
            Outcome::Matched(id) => Some(*id),
            _ => None,
        };
        Match {
            substitutes: alternatives
                .into_iter()
                .filter(|id| Some(*id) != own)
                .collect(),
            outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation() {
        assert_eq!(mpn_exact(" lm358dr "), "LM358DR");
        assert_eq!(mpn_key("GRM155R71C104KA88-D"), "GRM155R71C104KA88D");
        assert_eq!(mpn_loose_key("LM358DR-TR"), "LM358DR");
        assert_eq!(mpn_loose_key("LM358DR"), "LM358DR");
        assert_eq!(mpn_loose_key("IRF540N#PBF"), "IRF540N");
        assert_eq!(
            manufacturer_key("Texas Instruments, Inc."),
            "texasinstruments"
        );
        assert_eq!(manufacturer_key("MURATA"), "murata");
    }
}
