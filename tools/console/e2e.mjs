// The web console, end to end, in Debian's Chromium driven over the DevTools protocol
// (playwright-core, no bundled browser), against a running server that the README walkthrough
// has filled. axe-core runs on every page (no serious or critical violation allowed), every
// page is checked at 320 px wide (no sideways scrolling) and for Content-Security-Policy
// reports. A screenshot of every step goes to $SHOTS; a failing step leaves one named FAILED-*.
//
// Environment: API (the server's base URL), LOGINS (the walkthrough's sign-ins, as
// scripts/test writes them), SHOTS (where screenshots go), CHROMIUM (default /usr/bin/chromium).

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const API = process.env.API;
const logins = JSON.parse(fs.readFileSync(process.env.LOGINS, 'utf8'));
const shots = process.env.SHOTS || 'target/console-screenshots';
const axeSource = fs.readFileSync(
  new URL('./node_modules/axe-core/axe.min.js', import.meta.url),
  'utf8',
);
fs.mkdirSync(shots, { recursive: true });

let shot = 0;
const checked = new Set();

function fail(message) {
  throw new Error(message);
}

async function api(method, url, { token, body, headers = {} } = {}) {
  const res = await fetch(API + url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) fail(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res;
}

async function token(who) {
  const res = await api('POST', '/v1/auth/login', { body: who });
  return (await res.json()).tokens.access_token;
}

/** axe-core, the width check and a screenshot, once per distinct page. */
async function audit(page, name) {
  shot += 1;
  await page.screenshot({
    path: path.join(shots, `${String(shot).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
  const key = new URL(page.url()).pathname + (await page.getAttribute('html', 'lang')) + (await page.locator('h1').innerText());
  if (checked.has(key)) return;
  checked.add(key);
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }),
  );
  const bad = result.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  if (bad.length) {
    fail(
      `axe on ${page.url()}:\n` +
        bad.map((v) => `  ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`).join('\n'),
    );
  }
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.screenshot({ path: path.join(shots, `${String(shot).padStart(2, '0')}-${name}-320.png`), fullPage: true });
  await page.setViewportSize(size);
  if (wide > 320) fail(`${page.url()} scrolls sideways at 320 px (${wide} px wide)`);
  console.log(`  ok ${name}: axe clean (${result.passes.length} rules pass), fits 320 px`);
}

async function step(page, name, fn) {
  try {
    await fn();
  } catch (e) {
    await page.screenshot({ path: path.join(shots, `FAILED-${name}.png`), fullPage: true }).catch(() => {});
    console.error(`step "${name}" failed at ${page.url()}`);
    throw e;
  }
}

async function signIn(page, who) {
  await page.goto(`${API}/console/`);
  if (!page.url().endsWith('/console/sign-in')) fail(`not sent to sign in: ${page.url()}`);
  await page.getByLabel(/^(Email|E-bost)$/).fill(who.email);
  await page.getByLabel(/^(Password|Cyfrinair)$/).fill(who.password);
  await page.getByRole('button', { name: /^(Sign in|Mewngofnodi)$/ }).click();
}

async function signOut(page) {
  await page.getByRole('button', { name: /^(Sign out|Allgofnodi)$/ }).click();
  await page.waitForURL(/\/console\/sign-in$/);
  await page.goto(`${API}/console/dashboard`);
  if (!page.url().endsWith('/console/sign-in')) fail('the dashboard is still open after signing out');
}

const h1 = (page) => page.locator('h1').innerText();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const cspReports = [];
async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspReports.push(`${page.url()}: ${m.text()}`);
  });
  return page;
}

try {
  // Setup through the API: someone whose record lacks a circle and a review (a data-quality
  // link to follow), and a second provider whose admin must not see the first one's people.
  const admin = await token(logins.admin);
  const me = await (await api('GET', '/v1/me', { token: admin })).json();
  const org = me.organisation?.id ?? me.organisation_id;
  const tag = String(Date.now()).slice(-6);
  const dafyddName = `Dafydd Prawf ${tag}`;
  const dafydd = await (
    await api('POST', '/v1/people', {
      token: admin,
      body: {
        preferred_name: dafyddName,
        preferred_language: 'en',
        welsh_offered: true,
        communication_needs: [],
        service_type: 'work_support',
        support_started_on: '2026-01-05',
      },
    })
  ).json();
  const people = await (await api('GET', '/v1/people?limit=100', { token: admin })).json();
  const cai = people.items.find((p) => p.preferred_name === 'Cai');
  if (!cai) fail('the walkthrough person Cai is missing');

  // --- An admin: dashboard, a data-quality link, search, a plan, staff, audit, Welsh. ---
  const page = await newPage();
  await step(page, 'admin-sign-in', async () => {
    await page.goto(`${API}/console/`);
    await audit(page, 'sign-in');
    await signIn(page, logins.admin);
    await page.waitForURL(/\/console\/dashboard$/);
    if ((await h1(page)) !== 'Dashboard') fail(`h1: ${await h1(page)}`);
    const charts = await page.locator('svg[role="img"]').count();
    if (charts < 5) fail(`${charts} charts on the dashboard`);
    await audit(page, 'dashboard');
  });
  await step(page, 'data-quality-link', async () => {
    const link = page.locator('section[aria-labelledby="quality"] a[href="/console/people?needs=circle"]');
    await link.click();
    await page.waitForURL(/needs=circle/);
    const names = await page.locator('tbody td a').allInnerTexts();
    if (!names.includes(dafyddName)) fail(`people without a circle: ${names}`);
    if (names.includes('Cai')) fail('Cai has a circle but is listed without one');
    await audit(page, 'people-needing-circle');
  });
  await step(page, 'search-people', async () => {
    await page.goto(`${API}/console/people`);
    await page.getByLabel('Name contains').fill(`prawf ${tag}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=prawf/);
    const names = await page.locator('tbody td a').allInnerTexts();
    if (names.join() !== dafyddName) fail(`search for "prawf ${tag}": ${names}`);
    await audit(page, 'people-search');
  });
  await step(page, 'open-plan', async () => {
    await page.goto(`${API}/console/people?q=Cai`);
    await page.getByRole('link', { name: 'Cai', exact: true }).click();
    await page.waitForURL(new RegExp(`/console/people/${cai.id}$`));
    if ((await h1(page)) !== 'Plan: Cai') fail(`h1: ${await h1(page)}`);
    for (const id of ['record', 'profile', 'goals', 'reviews', 'stories']) {
      if ((await page.locator(`h2#${id}`).count()) !== 1) fail(`no ${id} section`);
    }
    if ((await page.locator('article.goal').count()) < 1) fail('no goals shown');
    await audit(page, 'plan');
  });
  await step(page, 'staff-and-audit', async () => {
    await page.goto(`${API}/console/staff`);
    await audit(page, 'staff');
    await page.goto(`${API}/console/audit`);
    await audit(page, 'audit');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    if (!csv.startsWith('id,at,actor_account_id')) fail(`audit CSV: ${csv.slice(0, 80)}`);
  });
  await step(page, 'welsh', async () => {
    await page.goto(`${API}/console/dashboard`);
    await page.getByRole('button', { name: 'Cymraeg' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'cy');
    if ((await h1(page)) !== 'Dangosfwrdd') fail(`h1 in Welsh: ${await h1(page)}`);
    if ((await page.getAttribute('html', 'lang')) !== 'cy') fail('html lang is not cy');
    await audit(page, 'dashboard-cy');
    // Remembered on the next page.
    await page.goto(`${API}/console/people`);
    if ((await h1(page)) !== 'Pobl') fail(`people in Welsh: ${await h1(page)}`);
    await audit(page, 'people-cy');
    await page.goto(`${API}/console/people/${cai.id}`);
    await audit(page, 'plan-cy');
    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    if ((await h1(page)) !== 'Plan: Cai') fail('not back in English');
  });
  await step(page, 'sign-out', () => signOut(page));

  // --- A commissioner: the report, a period, the CSV against the API's, definitions. ---
  const com = await newPage();
  await step(com, 'commissioner-report', async () => {
    await signIn(com, logins.commissioner);
    await com.waitForURL(/\/console\/reports$/);
    if ((await h1(com)) !== 'Outcome report') fail(`h1: ${await h1(com)}`);
    await audit(com, 'report');
    await com.getByRole('link', { name: 'Last calendar year' }).click();
    await com.waitForURL(/from=\d{4}-01-01/);
    const from = new URL(com.url()).searchParams.get('from');
    const to = new URL(com.url()).searchParams.get('to');
    if (!to.endsWith('-12-31') || from.slice(0, 4) !== to.slice(0, 4)) fail(`period ${from}..${to}`);
    if (!(await com.locator('p').filter({ hasText: `${from} – ${to}` }).count())) fail('the period shown is not the one chosen');
    await audit(com, 'report-year');
    const [download] = await Promise.all([
      com.waitForEvent('download'),
      com.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const fromConsole = fs.readFileSync(await download.path(), 'utf8');
    const q = new URL(com.url()).searchParams;
    const body = (await (await api('GET', '/v1/me', { token: await token(logins.commissioner) })).json());
    const bodyId = body.organisation?.id ?? body.organisation_id;
    const apiCsv = await (
      await api(
        'GET',
        `/v1/commissioners/${bodyId}/reports/outcomes?framework=${q.get('framework')}&from=${from}&to=${to}` +
          `&breakdown=${q.getAll('breakdown').join(',')}`,
        { token: await token(logins.commissioner), headers: { accept: 'text/csv', 'accept-language': 'en' } },
      )
    ).text();
    if (fromConsole !== apiCsv) fail(`the console's CSV differs from the API's:\n${fromConsole.slice(0, 300)}\n---\n${apiCsv.slice(0, 300)}`);
    console.log(`  ok report CSV identical to the API's (${apiCsv.split('\r\n').length - 1} rows)`);
    await com.getByRole('link', { name: 'What each figure counts' }).click();
    await com.waitForURL(/\/console\/kpis$/);
    await audit(com, 'kpis');
    await com.goto(`${API}/console/dashboard`);
    if (!/Not found/.test(await com.locator('main').innerText())) fail('a commissioner reached a dashboard');
  });
  await step(com, 'commissioner-sign-out', async () => {
    await com.goto(`${API}/console/reports`);
    await signOut(com);
  });

  // --- Refused: a supporter; another organisation's admin cannot open this one's plan. ---
  const other = await newPage();
  await step(other, 'supporter-refused', async () => {
    await signIn(other, logins.supporter);
    await other.waitForLoadState();
    if (!other.url().endsWith('/console/sign-in')) fail(`a supporter got in: ${other.url()}`);
    const alert = await other.getByRole('alert').innerText();
    if (!/for staff of support organisations/.test(alert)) fail(`supporter told: ${alert}`);
    await audit(other, 'supporter-refused');
    await other.goto(`${API}/console/dashboard`);
    if (!other.url().endsWith('/console/sign-in')) fail('a supporter has a console session');
  });
  await step(other, 'wrong-password', async () => {
    await signIn(other, { email: logins.admin.email, password: 'not-the-password' });
    const alert = await other.getByRole('alert').innerText();
    if (!/Wrong email or password/.test(alert)) fail(`told: ${alert}`);
  });
  await step(other, 'other-organisation', async () => {
    const platform = await token({ email: process.env.PLATFORM_EMAIL || 'admin@camau.localhost', password: process.env.PLATFORM_PASSWORD });
    const run = Date.now();
    const created = await (
      await api('POST', '/v1/organisations', {
        token: platform,
        body: { name: 'Darparwr Arall', kind: 'provider', first_admin_email: `arall+${run}@example.org` },
      })
    ).json();
    const password = 'Sefydliad-arall-2026-prawf';
    await api('POST', '/v1/invitations/accept', {
      body: { code: created.invitation.code, name: 'Alun Arall', password },
    });
    await signIn(other, { email: `arall+${run}@example.org`, password });
    await other.waitForURL(/\/console\/dashboard$/);
    const res = await other.goto(`${API}/console/people/${cai.id}`);
    if (res.status() !== 404) fail(`another organisation's admin opened Cai's plan: ${res.status()}`);
    await audit(other, 'other-organisation-404');
    const list = await other.goto(`${API}/console/people?q=Cai`);
    if (list.status() !== 200 || (await other.locator('tbody td a').count()) !== 0) fail('Cai is listed to another organisation');
    await signOut(other);
  });
  if (org === undefined || dafydd.id === undefined) fail('setup incomplete');
  if (cspReports.length) fail(`Content-Security-Policy reports:\n${cspReports.join('\n')}`);
  console.log(`console e2e: all steps passed; ${checked.size} distinct pages axe-clean; screenshots in ${shots}`);
} finally {
  await browser.close();
}
