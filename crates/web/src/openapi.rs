//! The OpenAPI 3.1 description of API v1, served at `/api/v1/openapi.json`.
//!
//! Written as data next to the routes; a test checks that every API route of the router is
//! described here and that every described path is routed.

use serde_json::{Value, json};

/// A list of letters: `url` downloads the PDF as issued (a signed link).
fn letters_list() -> Value {
    json!({"description": "Letters, in the order they were issued", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object",
        "required": ["kind", "number", "issued_on", "url", "sha256"],
        "properties": {"kind": {"enum": ["receipt", "incomplete", "extension", "notice", "forwarding", "objection_receipt", "objection_answer"]},
            "number": {"type": "string"}, "issued_on": {"type": "string", "format": "date"}, "url": {"type": "string"},
            "sha256": {"type": "string"}, "verify_url": {"type": "string"}}}}}}})
}

fn error_ref() -> Value {
    json!({"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn ok(schema: &str, description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn number_param() -> Value {
    json!({"name": "number", "in": "path", "required": true, "schema": {"type": "string"}, "description": "Registration number (nomor pendaftaran)"})
}

fn code_param() -> Value {
    json!({"name": "code", "in": "query", "required": true, "schema": {"type": "string"}, "description": "Tracking code from the receipt"})
}

fn bearer() -> Value {
    json!([{"bearer": []}])
}

/// `(method, path)` of every documented operation, for the routing test.
pub fn operations() -> Vec<(String, String)> {
    let doc = document();
    let mut out = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            if let Some(ops) = item.as_object() {
                for method in ops.keys().filter(|k| *k != "parameters") {
                    out.push((method.to_uppercase(), path.clone()));
                }
            }
        }
    }
    out
}

pub fn document() -> Value {
    let mut doc = core_document();
    if let (Some(paths), Value::Object(more)) = (doc["paths"].as_object_mut(), register_paths()) {
        paths.extend(more);
    }
    if let (Some(paths), Value::Object(more)) = (doc["paths"].as_object_mut(), dashboard_paths()) {
        paths.extend(more);
    }
    if let (Some(paths), Value::Object(more)) = (doc["paths"].as_object_mut(), monev_paths()) {
        paths.extend(more);
    }
    if let (Some(paths), Value::Object(more)) = (doc["paths"].as_object_mut(), calendar_paths()) {
        paths.extend(more);
    }
    doc
}

/// The national calendar as data (issue 14, domain spec §7.1).
fn calendar_paths() -> Value {
    let file = json!({"required": true, "description": "A year in the shipped format `{country, year, version, status, note, days: [{date, kind: national_holiday | collective_leave, name, legal_basis, effective_from}]}` (application/json), or CSV `date,kind,name,legal_basis` (text/csv)",
        "content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}}}});
    json!({
        "/api/v1/calendar/years": {
            "get": {"summary": "The national calendar years in force",
                "responses": {"200": {"description": "[{year, version, status, loaded_at, days, legal_basis, source, applied}]"}}},
            "post": {"summary": "Load a year or an amendment (admins); every open deadline it moves is recomputed, each with a due_recomputed event, before the answer", "security": bearer(),
                "requestBody": file.clone(),
                "responses": {"201": {"description": "{year, version, recomputed: open cases whose deadline changed}"},
                    "200": {"description": "The same content is already in force: nothing changed (`unchanged: true`)"},
                    "401": error_ref(), "403": error_ref(), "422": {"description": "Every bad line (not a date, wrong year, unknown kind, duplicate, missing name or legal basis) in `fields` as `days.N.field`; nothing stored"}}},
        },
        "/api/v1/calendar/years/preview": {
            "post": {"summary": "What loading a year would change (days added, removed, changed; every open case that would move, by how much); nothing stored (admins)", "security": bearer(),
                "requestBody": file,
                "responses": {"200": {"description": "{year, diff: {added, removed, changed}, in_force, moves: [{kind, number, body, from, to}], unchanged}"}, "401": error_ref(), "403": error_ref(), "422": error_ref()}},
        },
    })
}

/// The self-assessment (monev/SAQ) and the comparison across bodies (issue 6).
fn monev_paths() -> Value {
    let year = json!({"name": "year", "in": "query", "schema": {"type": "integer"}, "description": "Assessed year (default: the current year)"});
    let answer = json!({"type": "object", "required": ["question", "yes"], "properties": {
        "question": {"type": "string"}, "yes": {"type": "boolean"}, "evidence": {"type": ["string", "null"], "description": "URL or site path of the evidence"},
        "note": {"type": "string"}}});
    json!({
        "/api/v1/self-assessment": {
            "get": {"summary": "A body's self-assessment: every question with the officer's answer and, for automatic questions, the system's answer and evidence URL; SAQ score, presentation score, final score and predicate (informatif 90-100, menuju_informatif 80-89.9, cukup_informatif 60-79.9, kurang_informatif 40-59.9, tidak_informatif below 40)",
                "parameters": [{"name": "body", "in": "query", "required": true, "schema": {"type": "string"}}, year.clone()],
                "responses": {"200": {"description": "{body, body_name, year, questionnaire, indicators: [{code, label, weight, score, questions: [{code, text, weight, system, officer, yes, evidence}]}], facts, saq_score, presentation_score, score, predicate, predicate_label, provisional, event_count}"},
                    "401": error_ref(), "404": error_ref(), "422": error_ref()}},
            "post": {"summary": "Record answers (the PPID of the body); appended to the body's monev log", "security": bearer(),
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {
                    "body": {"type": "string"}, "year": {"type": "integer"}, "answers": {"type": "array", "items": answer},
                    "presentation_score": {"type": ["number", "null"], "minimum": 0, "maximum": 100}}}}}},
                "responses": {"200": {"description": "The self-assessment"}, "400": error_ref(), "401": error_ref(), "403": error_ref(), "404": error_ref(), "409": error_ref(), "422": error_ref()}}},
        "/api/v1/self-assessment/evidence.csv": {"get": {"summary": "The evidence of the officer's body as CSV (one line per question)", "security": bearer(),
            "parameters": [year.clone()],
            "responses": {"200": {"description": "CSV", "content": {"text/csv": {}}}, "401": error_ref(), "422": error_ref()}}},
        "/api/v1/self-assessment/questionnaire": {
            "get": {"summary": "The questionnaire of a year (edited, else the built-in default)", "parameters": [year.clone()],
                "responses": {"200": {"description": "{year, saq_weight, presentation_weight, indicators: [{code, label, weight, questions: [{code, text, weight, auto}]}]}"}, "422": error_ref()}},
            "put": {"summary": "Replace the questionnaire of a year (admins); weights must sum to 100 and codes be unique", "security": bearer(), "parameters": [year.clone()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"200": {"description": "The questionnaire"}, "401": error_ref(), "403": error_ref(), "422": error_ref()}}},
        "/api/v1/comparison": {"get": {"summary": "Bodies under a parent (with the parent) or every top-level body, ranked by a composite of on-time %, median working days, objection rate, register completeness and self-assessment score, with each body's strongest and weakest indicator and the best peer on each",
            "parameters": [{"name": "parent", "in": "query", "schema": {"type": "string"}}, year],
            "responses": {"200": {"description": "{parent, year, indicators, composite, bodies: [{slug, name, rank, composite, on_time_percent, median_days, objection_rate, completeness, self_assessment, predicate, ranks, strongest, weakest, learn_from: [{indicator, slug, value}]}]}"},
                "404": error_ref(), "422": error_ref()}}},
    })
}

/// The live command centre's public figures (issue: dashboard).
fn dashboard_paths() -> Value {
    json!({
        "/api/v1/dashboard": {"get": {"summary": "Aggregate service figures of a body (with its units) or of a province with the bodies below it: received today and this year, open, due within 3 working days, overdue, on-time %, median and 90th-percentile working days, extensions, objections and disputes, by unit, channel and body, by month and by time-to-answer class. No personal data; cached for up to 1 s",
            "parameters": [{"name": "body", "in": "query", "required": true, "schema": {"type": "string"}, "description": "Body slug"},
                {"name": "scope", "in": "query", "schema": {"enum": ["body", "province"]}}],
            "responses": {"200": {"description": "{scope, body, body_name, bodies, today, year, totals: {received_today, received_year, open, due_soon, overdue, decided_year, on_time, on_time_pct, extensions}, median_wd, p90_wd, objections_open, objections_total, disputes_open, disputes_total, by_unit, by_channel, by_body, months: [{month, received, decided}], time_to_answer: [{from, to, count}], generation}"},
                "404": error_ref(), "422": error_ref()}}}
    })
}

fn id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}})
}

/// The register, consequence tests, documents, publications and search (issue 4).
fn register_paths() -> Value {
    let obj = json!({"type": "object"});
    let body = |schema: &Value| json!({"required": true, "content": {"application/json": {"schema": schema}}});
    let entry = json!({"type": "object", "properties": {
        "kind": {"enum": ["periodic", "immediate", "any_time"]}, "title": {"type": "string"}, "summary": {"type": "string"},
        "unit": {"type": "string"}, "responsible": {"type": "string"}, "made_when": {"type": "string"}, "made_where": {"type": "string"},
        "forms": {"type": "array", "items": {"enum": ["softcopy", "hardcopy"]}}, "retention": {"type": "string"}, "year": {"type": "integer"},
        "legal_basis": {"type": "string"}, "checklist": {"type": "string"},
        "confirmed": {"type": "array", "items": {"type": "string"}, "description": "Edit of a published entry: keys of personal-data findings confirmed as public"}}});
    let test = json!({"type": "object", "properties": {
        "information": {"type": "string"}, "source": {"type": "string"}, "grounds": {"type": "array", "items": {"type": "string", "pattern": "^17[a-j]$"}},
        "other_law": {"type": "string"}, "harm": {"type": "string"}, "public_interest": {"type": "string"},
        "conclusion": {"enum": ["exempt", "partially_open", "open"]}, "redaction_plan": {"type": "string"},
        "period_kind": {"enum": ["until_date", "until_event", "while_other_law"]}, "period_until": {"type": "string", "format": "date"},
        "period_event": {"type": "string"}, "trigger": {"enum": ["before_request", "on_request", "commission_order"]},
        "request": {"type": "string"}, "entry": {"type": "string", "format": "uuid"}, "unit": {"type": "string"}}});
    let std = |ok: &str| json!({"200": {"description": ok}, "401": error_ref(), "403": error_ref(), "404": error_ref(), "409": error_ref(), "422": error_ref()});
    json!({
        "/api/v1/search": {"get": {"summary": "Full-text search (Indonesian stemming, typo tolerance) over the register, published answers and documents",
            "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}, {"name": "body", "in": "query", "schema": {"type": "string"}},
                {"name": "kind", "in": "query", "schema": {"enum": ["periodic", "immediate", "any_time", "exempt", "answer", "document"]}},
                {"name": "year", "in": "query", "schema": {"type": "integer"}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}}],
            "responses": {"200": {"description": "{total, hits: [{kind, title, url, snippet, body, body_name, year, id, snippet_html}], facets: {body, kind, year}}"}, "422": error_ref()}}},
        "/api/v1/register": {"get": {"summary": "A body's DIP by kind, its DIK and the minimum-content checklist items still missing",
            "parameters": [{"name": "body", "in": "query", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Register"}, "404": error_ref(), "422": error_ref()}}},
        "/api/v1/register/entries": {"post": {"summary": "Add a DIP entry (Perki columns)", "security": bearer(), "requestBody": body(&entry),
            "responses": {"201": {"description": "The entry"}, "401": error_ref(), "403": error_ref(), "422": error_ref()}}},
        "/api/v1/register/entries/{id}": {
            "get": {"summary": "A DIP entry (public when published and not closed by a consequence test)", "parameters": [id_param()],
                "responses": {"200": {"description": "The entry"}, "404": error_ref()}},
            "put": {"summary": "Edit a DIP entry; a published entry's new text must pass the personal-data check (422 publication.personal_data lists the findings until each is removed or confirmed)",
                "security": bearer(), "parameters": [id_param()], "requestBody": body(&entry), "responses": std("The entry")}},
        "/api/v1/register/entries/{id}/{action}": {"post": {"summary": "publish {confirmed} or unpublish {reason} an entry; publishing runs the personal-data check over the entry and its documents as for an answer (422 publication.personal_data; a document that cannot be read is listed as kind unreadable with key unreadable:ID, and confirming that key records the officer's check of it)", "security": bearer(),
            "parameters": [id_param(), {"name": "action", "in": "path", "required": true, "schema": {"enum": ["publish", "unpublish"]}}],
            "responses": std("The entry")}},
        "/api/v1/consequence-tests": {"post": {"summary": "Draft a consequence test (uji konsekuensi)", "security": bearer(), "requestBody": body(&test),
            "responses": {"201": {"description": "The test"}, "401": error_ref(), "403": error_ref(), "422": error_ref()}}},
        "/api/v1/consequence-tests/{id}": {"get": {"summary": "A consequence test (public when listed in the DIK)", "parameters": [id_param()],
            "responses": {"200": {"description": "The test"}, "404": error_ref()}}},
        "/api/v1/consequence-tests/{id}/{action}": {"post": {"summary": "amend (test fields), submit, decide {number, place, official, on}, review {keep, note}, expire {note}, annul {ruling}",
            "security": bearer(), "parameters": [id_param(), {"name": "action", "in": "path", "required": true, "schema": {"enum": ["amend", "submit", "decide", "review", "expire", "annul"]}}],
            "responses": std("The test")}},
        "/api/v1/documents": {"post": {"summary": "Upload a document (PDF, DOCX, XLSX, PNG, JPEG, TXT, CSV; type from the content; 20 MiB)", "security": bearer(),
            "parameters": [{"name": "owner", "in": "query", "required": true, "schema": {"type": "string"}, "description": "entry:ID, test:ID or request:NUMBER"},
                {"name": "filename", "in": "query", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/octet-stream": {}}},
            "responses": {"201": {"description": "The document"}, "401": error_ref(), "403": error_ref(), "404": error_ref(), "413": error_ref(), "422": error_ref()}}},
        "/api/v1/documents/{id}": {"delete": {"summary": "Remove a document", "security": bearer(), "parameters": [id_param()],
            "responses": {"204": {"description": "Removed"}, "401": error_ref(), "403": error_ref(), "404": error_ref()}}},
        "/api/v1/documents/{id}/check": {"post": {"summary": "Confirm, by name, that you checked a document by hand (audited): a document that cannot be read, or whose findings are public information, then passes the personal-data check", "security": bearer(),
            "parameters": [id_param()], "responses": {"200": {"description": "The document"}, "401": error_ref(), "403": error_ref(), "404": error_ref()}}},
        "/api/v1/requests/{number}/publication": {
            "get": {"summary": "Defaults and personal-data findings for publishing a granted request's answer", "security": bearer(), "parameters": [number_param()], "responses": std("Draft")},
            "post": {"summary": "Publish the answer; 422 publication.personal_data lists findings until each is removed or confirmed", "security": bearer(), "parameters": [number_param()],
                "requestBody": body(&json!({"type": "object", "properties": {"title": {"type": "string"}, "text": {"type": "string"},
                    "documents": {"type": "array", "items": {"type": "string", "format": "uuid"}}, "confirmed": {"type": "array", "items": {"type": "string"}}}})),
                "responses": {"201": {"description": "The publication"}, "401": error_ref(), "403": error_ref(), "404": error_ref(), "409": error_ref(), "422": error_ref()}}},
        "/api/v1/publications": {"get": {"summary": "Newest published answers", "parameters": [{"name": "body", "in": "query", "schema": {"type": "string"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}}], "responses": {"200": {"description": "Publications"}, "404": error_ref()}}},
        "/api/v1/publications/{id}": {"get": {"summary": "A published answer", "parameters": [id_param()], "responses": {"200": {"description": "The publication", "content": {"application/json": {"schema": obj}}}, "404": error_ref()}}},
        "/api/v1/publications/{id}/unpublish": {"post": {"summary": "Withdraw a publication {reason}; it leaves search results at once", "security": bearer(),
            "parameters": [id_param()], "responses": std("The publication")}},
    })
}

fn core_document() -> Value {
    let date = json!({"type": "string", "format": "date"});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Lentera API",
            "version": "1",
            "description": "Layanan informasi publik (UU 14/2008). Tanggal hukum dalam zona waktu badan publik; pesan galat dalam bahasa Indonesia.",
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message", "fields"], "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}}}},
                "Health": {"type": "object", "properties": {"status": {"type": "string"}, "version": {"type": "string"}}},
                "Body": {"type": "object", "required": ["slug", "name", "parent", "kind"], "properties": {
                    "slug": {"type": "string"}, "name": {"type": "string"}, "parent": {"type": ["string", "null"]}, "kind": {"type": "string"}}},
                "WorkingDays": {"type": "object", "required": ["from", "days", "due", "skipped"], "properties": {
                    "from": date, "days": {"type": "integer"}, "due": date, "clock_start": date, "calendar_version": {"type": "string"}, "provisional": {"type": "boolean"},
                    "skipped": {"type": "array", "items": {"type": "object", "properties": {
                        "date": date, "reason": {"enum": ["weekend", "national_holiday", "collective_leave", "closure"]},
                        "name": {"type": ["string", "null"]}, "label": {"type": "string"}}}}}},
                "Submission": {"type": "object", "required": ["body", "applicant", "information", "purpose", "obtain"], "properties": {
                    "body": {"type": "string"},
                    "applicant": {"type": "object", "required": ["kind", "name", "id_number", "address", "occupation"], "properties": {
                        "kind": {"enum": ["individual", "legal_entity", "group", "organisation"]},
                        "name": {"type": "string"}, "id_number": {"type": "string", "description": "16-digit NIK, or the legal-entity registration number"},
                        "email": {"type": "string"}, "phone": {"type": "string"}, "address": {"type": "string"}, "occupation": {"type": "string"}}},
                    "information": {"type": "string"}, "purpose": {"type": "string"},
                    "obtain": {"enum": ["view", "softcopy", "hardcopy"]},
                    "delivery": {"enum": ["pickup", "email", "post", "courier", "fax", "download"]},
                    "received_on": {"type": "string", "format": "date", "description": "Officer intake only: the real date of receipt"},
                    "channel": {"type": "string", "description": "Officer intake only: web, in_person, post, email, phone, whatsapp, fax, social_media, app"}}},
                "Receipt": {"type": "object", "required": ["number", "tracking_code", "status", "received_on", "due_on"], "properties": {
                    "number": {"type": "string"}, "tracking_code": {"type": "string"}, "status": {"type": "string"},
                    "received_on": date, "due_on": {"type": ["string", "null"], "format": "date"}, "due_provisional": {"type": "boolean"}, "body": {"type": "string"}}},
                "RequestView": {"type": "object", "required": ["number", "body", "status", "received_on", "due_on", "extended", "decision", "events"], "properties": {
                    "number": {"type": "string"}, "body": {"type": "string"},
                    "status": {"enum": ["received", "awaiting_completion", "in_progress", "extended", "decided", "awaiting_payment", "delivered", "closed", "withdrawn", "not_processable"]},
                    "received_on": date, "due_on": {"type": ["string", "null"], "format": "date"}, "due_provisional": {"type": "boolean", "description": "due_on was counted through a year whose SKB is not loaded: the earliest the real date can be"}, "extended": {"type": "boolean"}, "overdue": {"type": "boolean"},
                    "decision": {"type": ["object", "null"], "properties": {"outcome": {"type": "string"}, "decided_on": date, "grounds": {"type": "array", "items": {"type": "string"}}}},
                    "events": {"type": "array", "items": {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}, "kind": {"type": "string"}, "label": {"type": "string"},
                        "from": date, "to": date, "reason": {"type": "string", "description": "due_recomputed: the instrument that moved the date"}}}}}},
                "Case": {"type": "object", "properties": {"number": {"type": "string"}, "body": {"type": "string"}, "unit": {"type": ["string", "null"]}, "status": {"type": "string"},
                    "received_on": date, "due_on": {"type": ["string", "null"], "format": "date"}, "due_provisional": {"type": "boolean"}, "due_moved_earlier_from": {"type": ["string", "null"], "format": "date"}, "overdue": {"type": "boolean"}, "working_days_left": {"type": ["integer", "null"]}, "unit_name": {"type": ["string", "null"]}}},
                "Decision": {"type": "object", "required": ["outcome"], "properties": {
                    "outcome": {"enum": ["granted", "partially_granted", "rejected_exempt", "not_held", "not_documented"]},
                    "grounds": {"type": "array", "items": {"enum": ["17a", "17b", "17c", "17d", "17e", "17f", "17g", "17h", "17i", "17j"]}},
                    "consequence_test": {"type": ["string", "null"]}, "holder": {"type": "string"}, "note": {"type": "string"},
                    "material": {"type": "string"}, "fee_idr": {"type": "integer"}, "fee_method": {"type": "string"}, "decided_on": date}},
            }
        },
        "paths": {
            "/api/v1/health": {"get": {"summary": "Service health", "responses": {"200": ok("Health", "Healthy"), "503": {"description": "Database unavailable"}}}},
            "/api/v1/health/ready": {"get": {"summary": "Readiness of this node: database, document store, search index (and how many outbox rows it lags), shutting down or not",
                "responses": {"200": {"description": "Ready", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ready", "not_ready"]}, "ready": {"type": "boolean"}, "node": {"type": "string"}, "shutting_down": {"type": "boolean"}, "database": {"type": "object"}, "storage": {"type": "object"}, "index": {"type": "object"}}}}}},
                    "503": {"description": "Not ready (same body): a part failed or the node is shutting down"}}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}},
            "/api/v1/bodies": {"get": {"summary": "Public bodies and their PPID units", "responses": {"200": {"description": "List", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Body"}}}}}}}},
            "/api/v1/calendar/working-days": {"get": {"summary": "addWD with every skipped day explained",
                "parameters": [
                    {"name": "from", "in": "query", "required": true, "schema": date},
                    {"name": "days", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 0}},
                    {"name": "body", "in": "query", "required": false, "schema": {"type": "string"}},
                    {"name": "provisional", "in": "query", "required": false, "schema": {"type": "boolean"}, "description": "true: count through years whose SKB is not loaded (weekends and the five holidays fixed by law) and answer with `provisional: true` instead of 422 calendar.incomplete"}],
                "responses": {"200": ok("WorkingDays", "Due date"), "422": error_ref(), "404": error_ref()}}},
            "/api/v1/requests": {"post": {"summary": "Submit a request (officers may add received_on and channel)",
                "parameters": [{"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Submission"}}}},
                "responses": {"201": ok("Receipt", "Received"), "200": ok("Receipt", "Same Idempotency-Key seen before"), "400": error_ref(), "413": error_ref(), "422": error_ref()}}},
            "/api/v1/requests/{number}": {"get": {"summary": "Track a request", "parameters": [number_param(), code_param()],
                "responses": {"200": ok("RequestView", "Request"), "404": error_ref()}}},
            "/api/v1/requests/{number}/letters": {"get": {"summary": "The official letters (PDF) of a request and of its objections: for the requester (code) or an officer of the body (bearer, without code)",
                "parameters": [number_param(), {"name": "code", "in": "query", "required": false, "schema": {"type": "string"}}],
                "responses": {"200": letters_list(), "404": error_ref(), "429": error_ref()}}},
            "/api/v1/objections/{number}/letters": {"get": {"summary": "The official letters (PDF) of an objection, for its requester", "parameters": [number_param(), code_param()],
                "responses": {"200": letters_list(), "404": error_ref(), "429": error_ref()}}},
            "/api/v1/requests/{number}/withdraw": {"post": {"summary": "Withdraw a request (requester)", "parameters": [number_param(), code_param()],
                "responses": {"200": ok("RequestView", "Withdrawn"), "404": error_ref(), "409": error_ref()}}},
            "/api/v1/auth/token": {"post": {"summary": "Officer sign-in", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"email": {"type": "string"}, "password": {"type": "string"},
                    "totp": {"type": "string", "description": "For an officer with two-factor sign-in: the 6-digit code of their authenticator app, or one of their recovery codes (each works once)"}}}}}},
                "responses": {"200": {"description": "Token", "content": {"application/json": {"schema": {"type": "object", "properties": {"token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}}}}}},
                    "401": {"description": "auth.invalid_credentials, auth.locked, auth.totp_required (send totp), auth.totp_invalid (wrong or already used code), auth.totp_enrolment_required (two-factor sign-in is required for this role: enrol first in the browser at /kantor/masuk)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}},
                "delete": {"summary": "Revoke the bearer token sent", "security": bearer(), "responses": {"204": {"description": "Revoked"}, "401": error_ref()}}},
            "/api/v1/cases": {"get": {"summary": "Requests visible to this officer, soonest due first", "security": bearer(),
                "parameters": [{"name": "status", "in": "query", "schema": {"type": "string"}}, {"name": "body", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}}, {"name": "offset", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "Queue", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Case"}}}}}, "401": error_ref(), "403": error_ref()}}},
            "/api/v1/cases/{number}": {"get": {"summary": "A case with the applicant (identity number masked)", "security": bearer(), "parameters": [number_param()],
                "responses": {"200": {"description": "Case"}, "401": error_ref(), "403": error_ref(), "404": error_ref()}}},
            "/api/v1/cases/{number}/identity": {"get": {"summary": "The full identity number (audited)", "security": bearer(), "parameters": [number_param()],
                "responses": {"200": {"description": "Identity number"}, "401": error_ref(), "403": error_ref(), "404": error_ref()}}},
            "/api/v1/requests/{number}/extension": {"post": {"summary": "Extend once by 7 working days, with a reason", "security": bearer(), "parameters": [number_param()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}}}}},
                "responses": {"200": ok("RequestView", "Extended"), "409": error_ref(), "422": error_ref(), "401": error_ref(), "403": error_ref()}}},
            "/api/v1/requests/{number}/decision": {"post": {"summary": "Record the written notice (pemberitahuan tertulis)", "security": bearer(), "parameters": [number_param()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Decision"}}}},
                "responses": {"200": ok("RequestView", "Decided"), "409": error_ref(), "422": error_ref(), "401": error_ref(), "403": error_ref()}}},
            "/api/v1/requests/{number}/{action}": {"post": {"summary": "Other lifecycle steps: verify, incomplete, route, payment, delivery, close, not-processable", "security": bearer(),
                "parameters": [number_param(), {"name": "action", "in": "path", "required": true, "schema": {"enum": ["verify", "incomplete", "route", "payment", "delivery", "close", "not-processable"]}}],
                "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "properties": {"note": {"type": "string"}, "reason": {"type": "string"}, "unit": {"type": "string"}, "amount_idr": {"type": "integer"}, "method": {"type": "string"}}}}}},
                "responses": {"200": ok("RequestView", "Done"), "409": error_ref(), "422": error_ref(), "401": error_ref(), "403": error_ref()}}},
            "/api/v1/requests/{number}/objections": {"post": {"summary": "File an objection (keberatan) on the grounds of Pasal 35 a–g; officers may enter one for the requester",
                "parameters": [number_param(), code_param()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["grounds"], "properties": {
                    "grounds": {"type": "array", "items": {"enum": ["a", "b", "c", "d", "e", "f", "g"]}}, "reason": {"type": "string"}}}}}},
                "responses": {"201": {"description": "Received: number, tracking_code, status, received_on, due_on (= addWD(received_on, 30)), late"},
                    "200": {"description": "The same grounds were filed before: that objection"}, "404": error_ref(), "422": error_ref()}}},
            "/api/v1/requests/{number}/objection-grounds": {"get": {"summary": "The grounds the request's record supports now", "parameters": [number_param(), code_param()],
                "responses": {"200": {"description": "Available grounds"}, "404": error_ref()}}},
            "/api/v1/objections/{number}": {"get": {"summary": "Track an objection (with the request's or the objection's code)", "parameters": [number_param(), code_param()],
                "responses": {"200": {"description": "Objection with its decision, dispute and deadlines"}, "404": error_ref()}}},
            "/api/v1/objections/{number}/officer": {"get": {"summary": "An objection as an officer of the body sees it", "security": bearer(), "parameters": [number_param()],
                "responses": {"200": {"description": "Objection"}, "401": error_ref(), "403": error_ref(), "404": error_ref()}}},
            "/api/v1/objections/{number}/decision": {"post": {"summary": "The atasan PPID's written answer; upheld reopens the request", "security": bearer(), "parameters": [number_param()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["outcome"], "properties": {
                    "outcome": {"enum": ["upheld", "partially_upheld", "dismissed"]}, "note": {"type": "string"}}}}}},
                "responses": {"200": {"description": "Decided"}, "401": error_ref(), "403": error_ref(), "409": error_ref(), "422": error_ref()}}},
            "/api/v1/objections/{number}/{step}": {"post": {"summary": "Objection steps: review, settle (deliberation, grounds b–g), close", "security": bearer(),
                "parameters": [number_param(), {"name": "step", "in": "path", "required": true, "schema": {"enum": ["review", "settle", "close"]}}],
                "responses": {"200": {"description": "Done"}, "401": error_ref(), "403": error_ref(), "409": error_ref()}}},
            "/api/v1/objections/{number}/dispute/{step}": {"post": {"summary": "The dispute at the Komisi Informasi and in court: filed, registered, session, mediation_failed, ruled, appealed, court_decided, cassation_filed, cassation_decided, final, complied, withdrawn",
                "security": bearer(), "parameters": [number_param(), {"name": "step", "in": "path", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {
                    "on": {"type": "string", "format": "date"}, "received_on": {"type": "string", "format": "date"}, "commission": {"type": "string"},
                    "ki_number": {"type": "string"}, "stage": {"enum": ["preliminary", "mediation", "adjudication", "evidence", "conclusion"]}, "note": {"type": "string"},
                    "ruling": {"enum": ["mediation_agreed", "granted", "partially_granted", "rejected", "inadmissible"]}, "number": {"type": "string"},
                    "court": {"enum": ["ptun", "pn"]}, "case_number": {"type": "string"}, "evidence": {"type": "string"}}}}}},
                "responses": {"200": {"description": "Recorded, with the deadlines"}, "401": error_ref(), "403": error_ref(), "409": error_ref(), "422": error_ref()}}},
            "/api/v1/objections/{number}/dossier.pdf": {"get": {"summary": "The dispute dossier: one PDF with the chronology from request to ruling", "security": bearer(), "parameters": [number_param()],
                "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}, "401": error_ref(), "403": error_ref(), "404": error_ref()}}},
            "/api/v1/reports/annual": {"get": {"summary": "Figures of the annual service report (domain spec §8.3), from the event logs, reconciled",
                "parameters": [{"name": "body", "in": "query", "required": true, "schema": {"type": "string"}},
                    {"name": "year", "in": "query", "required": true, "schema": {"type": "integer"}},
                    {"name": "period", "in": "query", "required": false, "schema": {"enum": ["year", "s1", "s2", "q1", "q2", "q3", "q4"]}},
                    {"name": "format", "in": "query", "required": false, "description": "json (default: the figures as below); pdf: the printable report (§8.2, with the body's own chapter texts and signatures); csv: every table cell as one line (tabel,judul,baris,kolom,nilai,teks); xlsx: a workbook with one sheet per table",
                        "schema": {"enum": ["json", "pdf", "csv", "xlsx"]}},
                    {"name": "rollup", "in": "query", "required": false, "description": "true: the body merged with every body below it; the JSON then lists each body's own figures in `children`",
                        "schema": {"type": "boolean"}}],
                "responses": {"200": {"description": "requests (received, decided, granted, refused by reason and Pasal 17 letter, not processable, withdrawn, open at end, reconciles, by month/channel/applicant kind/obtain/unit, service time), objections, oldest open; or the report as a file (Content-Disposition: laporan-layanan-informasi-{body}-{year}[-{period}][-gabungan].{ext})",
                        "content": {"application/json": {}, "application/pdf": {}, "text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
                    "404": error_ref(), "422": error_ref()}}},
            "/api/v1/objection-cases": {"get": {"summary": "The body's objections, open ones first", "security": bearer(),
                "responses": {"200": {"description": "Objections"}, "401": error_ref()}}},
        }
    })
}
