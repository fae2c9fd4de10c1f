//! Revocation: the ids a trust file lists as revoked, per issuer; SMART Health Card revocation
//! lists (per issuer and key, with optional time cut-offs); EU DCC revocation hashes (per signing
//! key); and status lists. The policy stage asks [`TrustStore::revocation_of`] about the ids a
//! format module returns, and [`TrustStore::check_status`] about its status-list reference.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::dcc_revocation::{DccIdentity, DccRevocations, HashType};
use super::status_list::{StatusListToken, StatusReference};
use super::{shc_crl, TrustStore};
use crate::encoding::json;
use crate::error::{Error, ErrorCode};

/// What a store knows is revoked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Revocations {
    /// `(issuer, id)` pairs from trust files' `revoked` lists and [`TrustStore::revoke`].
    ids: BTreeSet<(String, String)>,
    /// SMART Health Card revocations: (issuer, kid, rid) → revoked for cards issued before this
    /// time, or all cards when `None`.
    rids: BTreeMap<(String, String, String), Option<i64>>,
    /// Verified status list tokens, one per URI.
    pub(super) status_lists: Vec<StatusListToken>,
    /// EU DCC revocation hashes.
    pub(super) dcc: DccRevocations,
}

impl Revocations {
    /// Adds everything `other` holds.
    pub(super) fn merge(&mut self, other: Revocations) {
        self.ids.extend(other.ids);
        for (key, issued_before) in other.rids {
            self.revoke_rid(key, issued_before);
        }
        self.status_lists.extend(other.status_lists);
        self.dcc.extend(other.dcc);
    }

    /// Revokes a SMART Health Card `rid`: an id revoked without a time stays revoked for every
    /// card; of two times, the later one (which revokes more) is kept.
    fn revoke_rid(&mut self, key: (String, String, String), issued_before: Option<i64>) {
        let merged = match (self.rids.get(&key), issued_before) {
            (Some(None), _) | (_, None) => None,
            (Some(Some(a)), Some(b)) => Some((*a).max(b)),
            (None, Some(b)) => Some(b),
        };
        self.rids.insert(key, merged);
    }
}

/// An id by which a verified payload can be revoked, as a format module reads it (the policy
/// stage looks it up under the payload's issuer identity).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RevocationId {
    /// What the id is, for the message: `jti`, `document id`, `ci`, `rid`, `uvci`.
    pub(crate) name: &'static str,
    /// The id.
    pub(crate) id: String,
    /// For a SMART Health Card `rid`: the key that signed the card and its `nbf`, which the
    /// issuer's per-key revocation lists are keyed by.
    pub(crate) shc_key: Option<(String, f64)>,
    /// Which part of the payload it belongs to, when it holds several (`verifiableCredential[1]`).
    pub(crate) part: Option<String>,
    /// For an EU DCC: what its revocation hashes (UCI, COUNTRYCODEUCI, SIGNATURE) are computed
    /// from, listed per signing key in the trust file's `dcc_revocations`.
    pub(crate) dcc: Option<DccHashInput>,
}

/// What an EU DCC's three revocation hashes are computed from (see [`DccIdentity`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DccHashInput {
    /// The key id of the signing certificate.
    pub(crate) kid: Vec<u8>,
    /// The issuing country (CWT `iss`), when the certificate has one.
    pub(crate) country: Option<String>,
    /// The COSE signature bytes.
    pub(crate) signature: Vec<u8>,
    /// True for ES256 (only `r` is hashed).
    pub(crate) es256: bool,
}

impl RevocationId {
    /// An id of a trust file's `revoked` list.
    pub(crate) fn listed(name: &'static str, id: impl Into<String>) -> Self {
        RevocationId {
            name,
            id: id.into(),
            shc_key: None,
            part: None,
            dcc: None,
        }
    }
}

impl TrustStore {
    /// Marks the token or document `id` (a JWT `jti`, a CWT id, a SHC `rid`) of `issuer` revoked.
    pub fn revoke(&mut self, issuer: &str, id: &str) {
        self.revocations
            .ids
            .insert((issuer.to_owned(), id.to_owned()));
    }

    /// True when `id` of `issuer` is revoked.
    #[must_use]
    pub fn is_revoked(&self, issuer: &str, id: &str) -> bool {
        self.revocations
            .ids
            .contains(&(issuer.to_owned(), id.to_owned()))
    }

    /// Adds a SMART Health Card revocation list (the JSON of `{iss}/.well-known/crl/{kid}.json`)
    /// for `issuer`. Lists add up: an id revoked without a time stays revoked for every card;
    /// with two times, the later one (which revokes more) is kept. On error the store is unchanged.
    ///
    /// # Errors
    /// `trust_invalid` when the text is not a `rid`-method revocation list.
    pub fn add_shc_crl(&mut self, issuer: &str, crl_json: &str) -> Result<(), Error> {
        let root = json::parse_object(crl_json.as_bytes(), &super::file::trust_limits())
            .map_err(|e| Error::trust_invalid("crl", e.detail().unwrap_or("not a JSON object")))?;
        self.add_shc_crl_object(issuer, &root, "crl")
    }

    /// Why a verified payload's `id` of `issuer` is revoked, or `None`: on a trust file's
    /// `revoked` list; for a SMART Health Card, on the issuer's revocation list for the signing
    /// key; for an EU DCC, one of its revocation hashes on the signing key's list.
    pub(crate) fn revocation_of(&self, issuer: &str, id: &RevocationId) -> Option<String> {
        let listed = self.is_revoked(issuer, &id.id)
            || id
                .shc_key
                .as_ref()
                .is_some_and(|(kid, nbf)| self.is_rid_revoked(issuer, kid, &id.id, *nbf));
        let part = id
            .part
            .as_deref()
            .map(|p| format!("{p}: "))
            .unwrap_or_default();
        let shown = crate::formats::claims::shorten(&id.id);
        if listed {
            let key = id
                .shc_key
                .as_ref()
                .map(|(kid, _)| format!(", kid \"{}\"", crate::formats::claims::shorten(kid)))
                .unwrap_or_default();
            return Some(format!("{part}{} \"{shown}\"{key}", id.name));
        }
        let dcc = id.dcc.as_ref()?;
        let identity = DccIdentity {
            kid: &dcc.kid,
            uvci: &id.id,
            country: dcc.country.as_deref(),
            signature: &dcc.signature,
            es256: dcc.es256,
        };
        self.dcc_revoked_by(&identity).map(|hash_type| {
            format!(
                "{part}{} hash of {} \"{shown}\" is on a DCC revocation list",
                hash_type.as_str(),
                id.name
            )
        })
    }

    /// The status lists, in the order they were loaded.
    #[must_use]
    pub fn status_lists(&self) -> &[StatusListToken] {
        &self.revocations.status_lists
    }

    /// Checks a credential's status list entry: `issuer` is the credential's verified issuer.
    ///
    /// # Errors
    /// `status_list_missing`, `status_list_stale`, `status_index_invalid`, `revoked`,
    /// `suspended` or `status_unknown` (see [`StatusListToken::check`]).
    pub fn check_status(
        &self,
        issuer: &str,
        reference: &StatusReference,
        now: i64,
        tolerance: u64,
    ) -> Result<(), Error> {
        match self
            .revocations
            .status_lists
            .iter()
            .find(|l| l.uri == reference.uri)
        {
            Some(list) => list.check(issuer, reference.idx, now, tolerance),
            None => Err(Error::with_detail(
                ErrorCode::StatusListMissing,
                format!(
                    "no status list \"{}\" in the trust store",
                    crate::formats::claims::shorten(&reference.uri)
                ),
            )),
        }
    }

    /// The number of EU DCC revocation hashes (`dcc_revocations`), all keys and types.
    #[must_use]
    pub fn dcc_revocation_count(&self) -> usize {
        self.revocations.dcc.len()
    }

    /// The hash type under which an EU DCC is revoked, if it is.
    #[must_use]
    pub(crate) fn dcc_revoked_by(&self, dcc: &DccIdentity<'_>) -> Option<HashType> {
        self.revocations.dcc.find(dcc)
    }

    pub(super) fn add_shc_crl_object(
        &mut self,
        issuer: &str,
        crl: &Map<String, Value>,
        at: &str,
    ) -> Result<(), Error> {
        if issuer.is_empty() {
            return Err(Error::trust_invalid(at, "the issuer must not be empty"));
        }
        let crl = shc_crl::parse(crl).map_err(|reason| Error::trust_invalid(at, &reason))?;
        for entry in crl.rids {
            self.revocations.revoke_rid(
                (issuer.to_owned(), crl.kid.clone(), entry.rid),
                entry.issued_before,
            );
        }
        Ok(())
    }

    /// True when a SMART Health Card with revocation id `rid`, signed by key `kid` of `issuer`
    /// and issued at `issued_at` (its `nbf`), is on a loaded revocation list.
    #[must_use]
    pub fn is_rid_revoked(&self, issuer: &str, kid: &str, rid: &str, issued_at: f64) -> bool {
        let key = (issuer.to_owned(), kid.to_owned(), rid.to_owned());
        match self.revocations.rids.get(&key) {
            None => false,
            Some(None) => true,
            // Revoked when the card was issued before the cut-off (nbf < timestamp).
            #[allow(clippy::cast_precision_loss)]
            Some(Some(before)) => issued_at < *before as f64,
        }
    }
}
