// User journeys in a real headless Chromium against the real binary running the demo.
//   LENTERA_BIN=target/release/lentera node --test e2e/journeys.test.mjs
// Debian's chromium at /usr/bin/chromium (or CHROMIUM); playwright-core and axe-core from npm.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = require("axe-core").source;
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..");
const bin = resolve(repo, process.env.LENTERA_BIN || "target/debug/lentera");
const shots = join(repo, "docs", "screenshots");
const port = 21000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const password = "lentera-demo-2026";

let server;
let browser;
let dataDir;

async function waitForHealth() {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("lentera demo did not become healthy");
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "lentera-e2e-"));
  server = spawn(bin, ["demo", "--listen", `127.0.0.1:${port}`, "--data-dir", join(dataDir, "demo")], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitForHealth();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, bypassCSP: true, locale: "id-ID" });
  return context.newPage();
}

/** Runs axe-core and fails on serious or critical violations. */
async function accessible(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], `axe on ${name}`);
}

async function shot(page, file) {
  await page.screenshot({ path: join(shots, file), fullPage: true });
}

let receipt = {};

test("a citizen finds a body, submits a request and gets a receipt", async () => {
  const page = await newPage();
  await page.goto(base + "/");
  await accessible(page, "home");
  await shot(page, "home.png");
  await page.getByRole("link", { name: "Pemerintah Kabupaten Banyumas" }).click();
  await assert.doesNotReject(page.getByRole("heading", { name: "Pemerintah Kabupaten Banyumas" }).waitFor());
  await accessible(page, "body page");
  await shot(page, "body.png");
  await page.getByRole("link", { name: "Ajukan permohonan informasi" }).click();
  await accessible(page, "request form");

  // First a mistake: the form comes back with the error beside the field and nothing lost.
  await page.getByLabel("Nama lengkap").fill("Siti Aminah");
  await page.getByLabel("NIK (16 angka)").fill("12345");
  await page.getByRole("button", { name: "Kirim permohonan" }).click();
  await assert.doesNotReject(page.getByText("NIK harus 16 angka.").first().waitFor());
  assert.equal(await page.getByLabel("Nama lengkap").inputValue(), "Siti Aminah");
  await accessible(page, "request form with errors");
  await shot(page, "form-errors.png");

  await page.getByLabel("NIK (16 angka)").fill("3302015708900007");
  await page.getByLabel(/^Alamat/).fill("Jl. Jenderal Soedirman 1, Purwokerto");
  await page.getByLabel("Pekerjaan").fill("Wartawan");
  await page.getByLabel("Surel").fill("siti@contoh.id");
  await page.getByLabel("Rincian informasi yang dibutuhkan").fill("Salinan DPA Dinas Pendidikan tahun anggaran 2026");
  await page.getByLabel("Tujuan penggunaan informasi").fill("Bahan liputan");
  await page.getByRole("button", { name: "Kirim permohonan" }).click();
  await page.locator("#receipt-number").waitFor();
  receipt.number = (await page.locator("#receipt-number").textContent()).trim();
  receipt.code = (await page.locator("#receipt-code").textContent()).trim();
  assert.match(receipt.number, /^\d{4}-PPID-KAB-BANYUMAS-\d{2}-\d{4}$/);
  assert.match(receipt.code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await accessible(page, "receipt");
  await shot(page, "receipt.png");
  // The receipt fits one A4 page when printed.
  const pdf = await page.pdf({ format: "A4" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.equal(pages, 1, "receipt prints on one A4 page");
});

test("the citizen tracks the request on a phone", async () => {
  const page = await newPage({ width: 360, height: 740 });
  await page.goto(base + "/lacak");
  await page.getByLabel("Nomor pendaftaran").fill(receipt.number);
  await page.getByLabel("Kode pelacakan").fill(receipt.code);
  await page.getByRole("button", { name: "Lacak", exact: true }).click();
  await page.locator("#track-status").waitFor();
  assert.match(await page.locator("#track-status").textContent(), /Diterima/);
  // No horizontal scrolling on a 360 px screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  await accessible(page, "tracking");
  await shot(page, "track-phone.png");
});

test("an officer signs in, extends and decides; the citizen sees the decision", async () => {
  const page = await newPage();
  await page.goto(base + "/kantor");
  await page.getByLabel("Surel").fill("ppid@banyumas.demo");
  await page.getByLabel("Kata sandi").fill(password);
  await accessible(page, "sign-in");
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await page.getByRole("heading", { name: "Antrean kerja" }).waitFor();
  await accessible(page, "queue");
  await shot(page, "queue.png");

  await page.goto(`${base}/kantor/permohonan/${receipt.number}`);
  await accessible(page, "case");
  await shot(page, "case.png");
  await page.getByLabel("Alasan perpanjangan (tertulis)").fill("Informasi masih dihimpun dari Dinas Pendidikan");
  await page.getByRole("button", { name: "Perpanjang 7 hari kerja…" }).click();
  await page.getByRole("heading", { name: "Konfirmasi tindakan" }).waitFor();
  await assert.doesNotReject(page.getByText("Tenggat setelah perpanjangan").waitFor());
  await accessible(page, "confirmation");
  await page.getByRole("button", { name: "Ya, lakukan" }).click();
  await page.locator("#case-status").waitFor();
  assert.match(await page.locator("#case-status").textContent(), /Diperpanjang/);

  await page.getByLabel("Keputusan").selectOption("granted");
  await page.getByLabel("Alasan / materi yang diberikan").fill("Salinan DPA terlampir dalam bentuk PDF.");
  await page.getByRole("button", { name: "Terbitkan pemberitahuan tertulis…" }).click();
  await page.getByRole("button", { name: "Ya, lakukan" }).click();
  await page.locator("#case-status").waitFor();
  assert.match(await page.locator("#case-status").textContent(), /Diputus/);

  const citizen = await newPage();
  await citizen.goto(base + "/lacak");
  await citizen.getByLabel("Nomor pendaftaran").fill(receipt.number);
  await citizen.getByLabel("Kode pelacakan").fill(receipt.code);
  await citizen.getByRole("button", { name: "Lacak", exact: true }).click();
  await citizen.locator("#track-outcome").waitFor();
  assert.match(await citizen.locator("#track-outcome").textContent(), /Dikabulkan seluruhnya/);
  assert.match(await citizen.locator("#track-due").textContent(), /diperpanjang/);
  await accessible(citizen, "tracking with decision");
  await shot(citizen, "track-decided.png");
});

test("the pages work with the keyboard alone", async () => {
  const page = await newPage();
  await page.goto(base + "/");
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.equal(first, "Langsung ke isi", "the skip link comes first");
  await page.keyboard.press("Enter");
  const hash = await page.evaluate(() => location.hash);
  assert.equal(hash, "#main");
});

test("administration pages are accessible", async () => {
  const page = await newPage();
  await page.goto(base + "/kantor/masuk");
  await page.getByLabel("Surel").fill("admin@lentera.demo");
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await page.getByRole("heading", { name: "Antrean kerja" }).waitFor();
  await page.goto(base + "/kantor/admin");
  await accessible(page, "admin");
  await shot(page, "admin.png");
  await page.goto(base + "/kantor/admin/badan/kab-banyumas");
  await accessible(page, "admin body");
  await page.goto(base + "/b/kab-banyumas/register");
  await accessible(page, "public register");
  await shot(page, "register.png");
});
