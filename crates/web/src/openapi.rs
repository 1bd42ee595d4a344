//! The OpenAPI 3.1 description of API v1, served at `/api/v1/openapi.json`.
//!
//! Written as data next to the routes; a test checks that every API route of the router is
//! described here and that every described path is routed.

use serde_json::{Value, json};

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
                    "from": date, "days": {"type": "integer"}, "due": date, "clock_start": date, "calendar_version": {"type": "string"},
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
                    "received_on": date, "due_on": {"type": ["string", "null"], "format": "date"}, "body": {"type": "string"}}},
                "RequestView": {"type": "object", "required": ["number", "body", "status", "received_on", "due_on", "extended", "decision", "events"], "properties": {
                    "number": {"type": "string"}, "body": {"type": "string"},
                    "status": {"enum": ["received", "awaiting_completion", "in_progress", "extended", "decided", "awaiting_payment", "delivered", "closed", "withdrawn", "not_processable"]},
                    "received_on": date, "due_on": {"type": ["string", "null"], "format": "date"}, "extended": {"type": "boolean"}, "overdue": {"type": "boolean"},
                    "decision": {"type": ["object", "null"], "properties": {"outcome": {"type": "string"}, "decided_on": date, "grounds": {"type": "array", "items": {"type": "string"}}}},
                    "events": {"type": "array", "items": {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}, "kind": {"type": "string"}, "label": {"type": "string"}}}}}},
                "Case": {"type": "object", "properties": {"number": {"type": "string"}, "body": {"type": "string"}, "unit": {"type": ["string", "null"]}, "status": {"type": "string"},
                    "received_on": date, "due_on": {"type": ["string", "null"], "format": "date"}, "overdue": {"type": "boolean"}, "working_days_left": {"type": ["integer", "null"]}}},
                "Decision": {"type": "object", "required": ["outcome"], "properties": {
                    "outcome": {"enum": ["granted", "partially_granted", "rejected_exempt", "not_held", "not_documented"]},
                    "grounds": {"type": "array", "items": {"enum": ["17a", "17b", "17c", "17d", "17e", "17f", "17g", "17h", "17i", "17j"]}},
                    "consequence_test": {"type": ["string", "null"]}, "holder": {"type": "string"}, "note": {"type": "string"},
                    "material": {"type": "string"}, "fee_idr": {"type": "integer"}, "fee_method": {"type": "string"}, "decided_on": date}},
            }
        },
        "paths": {
            "/api/v1/health": {"get": {"summary": "Service health", "responses": {"200": ok("Health", "Healthy"), "503": {"description": "Database unavailable"}}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}},
            "/api/v1/bodies": {"get": {"summary": "Public bodies and their PPID units", "responses": {"200": {"description": "List", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Body"}}}}}}}},
            "/api/v1/calendar/working-days": {"get": {"summary": "addWD with every skipped day explained",
                "parameters": [
                    {"name": "from", "in": "query", "required": true, "schema": date},
                    {"name": "days", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 0}},
                    {"name": "body", "in": "query", "required": false, "schema": {"type": "string"}}],
                "responses": {"200": ok("WorkingDays", "Due date"), "422": error_ref(), "404": error_ref()}}},
            "/api/v1/requests": {"post": {"summary": "Submit a request (officers may add received_on and channel)",
                "parameters": [{"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Submission"}}}},
                "responses": {"201": ok("Receipt", "Received"), "200": ok("Receipt", "Same Idempotency-Key seen before"), "400": error_ref(), "413": error_ref(), "422": error_ref()}}},
            "/api/v1/requests/{number}": {"get": {"summary": "Track a request", "parameters": [number_param(), code_param()],
                "responses": {"200": ok("RequestView", "Request"), "404": error_ref()}}},
            "/api/v1/requests/{number}/withdraw": {"post": {"summary": "Withdraw a request (requester)", "parameters": [number_param(), code_param()],
                "responses": {"200": ok("RequestView", "Withdrawn"), "404": error_ref(), "409": error_ref()}}},
            "/api/v1/auth/token": {"post": {"summary": "Officer sign-in", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"email": {"type": "string"}, "password": {"type": "string"}}}}}},
                "responses": {"200": {"description": "Token", "content": {"application/json": {"schema": {"type": "object", "properties": {"token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}}}}}}, "401": error_ref()}}},
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
                    {"name": "period", "in": "query", "required": false, "schema": {"enum": ["year", "s1", "s2", "q1", "q2", "q3", "q4"]}}],
                "responses": {"200": {"description": "requests (received, decided, granted, refused by reason and Pasal 17 letter, not processable, withdrawn, open at end, reconciles, by month/channel/applicant kind/obtain/unit, service time), objections, oldest open"},
                    "404": error_ref(), "422": error_ref()}}},
            "/api/v1/objection-cases": {"get": {"summary": "The body's objections, open ones first", "security": bearer(),
                "responses": {"200": {"description": "Objections"}, "401": error_ref()}}},
        }
    })
}
