//! The requirement catalog of AISVS C4, embedded at build time from `catalog/aisvs-c4.toml`.

use serde::{Deserialize, Serialize};

/// How much of a requirement inputs can establish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// Inputs can settle it.
    Automated,
    /// Inputs show the control, but not all of what is asked.
    Partial,
    /// Needs evidence files or a person.
    Manual,
}

/// One requirement.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// `4.3.1`.
    pub id: String,
    /// `C4.3`.
    pub section: String,
    /// 1–3.
    pub level: u8,
    /// `D/V`, `D` or `V`.
    pub role: String,
    /// Short title in our own words.
    pub title: String,
    /// How much inputs can establish.
    pub assessment: Assessment,
    /// Evidence kinds that speak to it.
    pub evidence: Vec<String>,
    /// The evidence that would let the tool decide.
    pub decided_by: String,
}

/// The catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// `OWASP AISVS`.
    pub standard: String,
    /// `C4`.
    pub chapter: String,
    /// Which text of the standard.
    pub revision: String,
    /// The requirements in order.
    pub requirement: Vec<Requirement>,
}

const CATALOG_TOML: &str = include_str!("../catalog/aisvs-c4.toml");

impl Catalog {
    /// The embedded catalog. It is checked by a unit test, so parsing it cannot fail at run time.
    pub fn load() -> Catalog {
        toml::from_str(CATALOG_TOML).unwrap_or_else(|e| panic!("embedded catalog is invalid: {e}"))
    }

    /// A requirement by id.
    pub fn get(&self, id: &str) -> Option<&Requirement> {
        self.requirement.iter().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_has_all_21_requirements_in_order() {
        let c = Catalog::load();
        let ids: Vec<&str> = c.requirement.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), 21);
        assert_eq!(ids.first(), Some(&"4.1.1"));
        assert_eq!(ids.last(), Some(&"4.6.3"));
        let mut sorted = ids.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), 21, "ids are unique");
        assert!(c.requirement.iter().all(|r| (1..=3).contains(&r.level)));
    }
}
