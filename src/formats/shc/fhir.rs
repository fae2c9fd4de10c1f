//! A readable summary of a card's FHIR bundle: who (patient name, birth date) and what
//! (immunizations and observations, with dates and codes), for the verdict's `document`.
//!
//! The summary only reads what is there; it never invents. Codes are given as `{system, code}`
//! and nothing else: labels for display are the caller's (the demo's, for CVX COVID-19 vaccines
//! and SNOMED CT test results: www-demo/lib/documents.js). The full bundle stays in the
//! verdict's `claims` (`vc.credentialSubject.fhirBundle`) for anyone who needs more.

use serde_json::{Map, Value};

use crate::formats::object;

/// Summarises a FHIR `Bundle` (already checked to be an object with `resourceType: Bundle`).
#[must_use]
pub fn summarize(bundle: &Map<String, Value>) -> Map<String, Value> {
    let resources = bundle
        .get("entry")
        .and_then(Value::as_array)
        .map(|entries| {
            entries
                .iter()
                .filter_map(|e| e.get("resource").and_then(Value::as_object))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let mut patient = Value::Null;
    let mut immunizations = Vec::new();
    let mut observations = Vec::new();
    // Resource types other than the three summarised, with counts (a handful at most).
    let mut others: Vec<(String, u64)> = Vec::new();
    let mut count = |name: &str| match others.iter_mut().find(|(n, _)| n == name) {
        Some((_, c)) => *c += 1,
        None => others.push((name.to_owned(), 1)),
    };
    for resource in resources {
        match resource.get("resourceType").and_then(Value::as_str) {
            Some("Patient") if patient.is_null() => patient = summarize_patient(resource),
            Some("Immunization") => immunizations.push(summarize_immunization(resource)),
            Some("Observation") => observations.push(summarize_observation(resource)),
            Some(other) => count(other),
            None => count("unknown"),
        }
    }
    let mut out = Map::new();
    out.insert("patient".into(), patient);
    out.insert("immunizations".into(), Value::Array(immunizations));
    out.insert("observations".into(), Value::Array(observations));
    let mut other_resources = Map::new();
    for (name, n) in others {
        other_resources.insert(name, n.into());
    }
    out.insert("otherResources".into(), Value::Object(other_resources));
    out
}

fn summarize_patient(patient: &Map<String, Value>) -> Value {
    let name = patient
        .get("name")
        .and_then(Value::as_array)
        .and_then(|names| names.first())
        .and_then(Value::as_object)
        .and_then(human_name);
    object(vec![
        ("name", name.into()),
        ("birthDate", string(patient, "birthDate").into()),
    ])
}

/// A FHIR HumanName as one line: `text`, or the given names then the family name.
fn human_name(name: &Map<String, Value>) -> Option<String> {
    if let Some(text) = name.get("text").and_then(Value::as_str) {
        return Some(text.to_owned());
    }
    let mut parts: Vec<&str> = name
        .get("given")
        .and_then(Value::as_array)
        .map(|g| g.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(family) = name.get("family").and_then(Value::as_str) {
        parts.push(family);
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn summarize_immunization(imm: &Map<String, Value>) -> Value {
    let coding = first_coding(imm.get("vaccineCode"));
    let performer = imm
        .get("performer")
        .and_then(Value::as_array)
        .and_then(|p| p.first())
        .and_then(|p| p.get("actor"))
        .and_then(|a| a.get("display"))
        .and_then(Value::as_str);
    object(vec![
        (
            "date",
            string(imm, "occurrenceDateTime")
                .or_else(|| string(imm, "occurrenceString"))
                .into(),
        ),
        ("status", string(imm, "status").into()),
        ("vaccineCode", coding_json(coding.as_ref())),
        ("lotNumber", string(imm, "lotNumber").into()),
        ("performer", performer.into()),
    ])
}

fn summarize_observation(obs: &Map<String, Value>) -> Value {
    let coding = first_coding(obs.get("code"));
    let date = string(obs, "effectiveDateTime").or_else(|| {
        obs.get("effectivePeriod")
            .and_then(|p| p.get("start"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    object(vec![
        ("date", date.into()),
        ("status", string(obs, "status").into()),
        ("code", coding_json(coding.as_ref())),
        ("value", observation_value(obs)),
    ])
}

/// The value of an Observation: a coded value as `{system, code}`, else one short text.
fn observation_value(obs: &Map<String, Value>) -> Value {
    if let Some(coding) = first_coding(obs.get("valueCodeableConcept")) {
        return coding_json(Some(&coding));
    }
    if let Some(q) = obs.get("valueQuantity").and_then(Value::as_object) {
        let value = q.get("value").map(Value::to_string);
        let unit = q
            .get("unit")
            .or_else(|| q.get("code"))
            .and_then(Value::as_str);
        let comparator = q.get("comparator").and_then(Value::as_str).unwrap_or("");
        return match (value, unit) {
            (Some(v), Some(u)) => Value::String(format!("{comparator}{v} {u}")),
            (Some(v), None) => Value::String(format!("{comparator}{v}")),
            _ => Value::Null,
        };
    }
    for name in ["valueString", "valueDateTime"] {
        if let Some(s) = obs.get(name).and_then(Value::as_str) {
            return Value::String(s.to_owned());
        }
    }
    match obs.get("valueBoolean") {
        Some(Value::Bool(b)) => Value::Bool(*b),
        _ => Value::Null,
    }
}

fn first_coding(concept: Option<&Value>) -> Option<(String, String)> {
    let coding = concept?.get("coding")?.as_array()?.first()?;
    Some((
        coding.get("system")?.as_str()?.to_owned(),
        coding.get("code")?.as_str()?.to_owned(),
    ))
}

fn coding_json(coding: Option<&(String, String)>) -> Value {
    match coding {
        Some((system, code)) => object(vec![
            ("system", system.as_str().into()),
            ("code", code.as_str().into()),
        ]),
        None => Value::Null,
    }
}

fn string(obj: &Map<String, Value>, name: &str) -> Option<String> {
    obj.get(name).and_then(Value::as_str).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CVX: &str = "http://hl7.org/fhir/sid/cvx";
    const SNOMED: &str = "http://snomed.info/sct";

    #[test]
    fn summarises_patient_immunizations_and_observations() {
        let bundle = json!({"resourceType":"Bundle","entry":[
            {"resource":{"resourceType":"Patient","name":[{"family":"Anyperson","given":["John","B."]}],"birthDate":"1951-01-20"}},
            {"resource":{"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":CVX,"code":"207"}]},
                "occurrenceDateTime":"2021-01-01","performer":[{"actor":{"display":"ABC General Hospital"}}],"lotNumber":"0000001"}},
            {"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"94558-4"}]},
                "effectiveDateTime":"2021-02-17","valueCodeableConcept":{"coding":[{"system":SNOMED,"code":"260385009"}]}}},
            {"resource":{"resourceType":"Observation","code":{"coding":[{"system":"http://loinc.org","code":"718-7"}]},
                "valueQuantity":{"value":176,"unit":"g/L"}}},
            {"resource":{"resourceType":"Specimen"}},
            {"resource":{"resourceType":"Specimen"}}
        ]});
        let summary = summarize(bundle.as_object().unwrap_or(&Map::new()));
        assert_eq!(
            summary.get("patient"),
            Some(&json!({"name":"John B. Anyperson","birthDate":"1951-01-20"}))
        );
        assert_eq!(
            summary.get("immunizations"),
            Some(
                &json!([{"date":"2021-01-01","status":"completed","vaccineCode":{"system":CVX,"code":"207"},
                "lotNumber":"0000001","performer":"ABC General Hospital"}])
            )
        );
        let observations = summary.get("observations").and_then(Value::as_array);
        assert_eq!(
            observations
                .and_then(|o| o.first())
                .and_then(|o| o.get("value")),
            Some(&json!({"system":SNOMED,"code":"260385009"}))
        );
        assert_eq!(
            observations
                .and_then(|o| o.get(1))
                .and_then(|o| o.get("value")),
            Some(&json!("176 g/L"))
        );
        assert_eq!(summary.get("otherResources"), Some(&json!({"Specimen": 2})));
    }

    #[test]
    fn tolerates_missing_and_odd_members() {
        let bundle = json!({"resourceType":"Bundle","entry":[1, {"resource":{"resourceType":"Patient","name":"x"}}, {"resource":{}}]});
        let summary = summarize(bundle.as_object().unwrap_or(&Map::new()));
        assert_eq!(
            summary.get("patient"),
            Some(&json!({"name":null,"birthDate":null}))
        );
        assert_eq!(summary.get("otherResources"), Some(&json!({"unknown": 1})));
        assert_eq!(
            summarize(&Map::new()).get("immunizations"),
            Some(&json!([]))
        );
    }
}
