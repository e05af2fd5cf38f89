import { expect, request, test, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/** Waits until the wasm bundle has hydrated the page's islands (set only by running wasm). */
export async function expectHydrated(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true", { timeout: 15_000 });
}

/** Runs axe-core (WCAG 2.1 A and AA rules) and expects zero violations. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`);
  expect(summary).toEqual([]);
}

/** Page object: the list of districts. */
export class DistrictsPage {
  constructor(readonly page: Page) {}

  async goto(query?: string) {
    await this.page.goto(query ? `/bydeler?q=${encodeURIComponent(query)}` : "/bydeler");
  }

  get filter() {
    return this.page.getByLabel(/Filtrer på navn|Filter by name/);
  }

  get rows() {
    return this.page.locator("table.district-table tbody tr");
  }

  get count() {
    return this.page.locator(".district-filter__count");
  }

  link(name: string) {
    return this.page.getByRole("link", { name, exact: true });
  }
}

/** Page object: the sign-in form. */
export class SignInPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/logg-inn");
  }

  async signIn(email: string, password: string) {
    await this.page.getByLabel(/E-postadresse|E-mail address/).fill(email);
    await this.page.getByLabel(/^(Passord|Password)$/).fill(password);
    await this.page.locator("form.sign-in").getByRole("button").click();
  }
}

/** Signs the page's browser context in as a demo user (by the local part of the address), with
 * the same form post the sign-in page makes. */
export async function signInAs(page: Page, local: string) {
  const res = await page.request.post("/innlogging", {
    form: { email: `${local}@demo.example.org`, password: "demo-passord-2026", next: "/" },
    headers: { "sec-fetch-site": "same-origin" },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
  expect(res.headers()["location"]).not.toContain("feil");
}

/** Sets the portal's clock (PORTAL_TEST_CLOCK), which only an administrator may do: signs in as
 * the demo administrator in a request context of its own (the browser's sessions are untouched)
 * and posts the time. */
export async function setClock(at: string) {
  const api = await request.newContext({ baseURL: test.info().project.use.baseURL });
  try {
    const signIn = await api.post("/innlogging", {
      form: { email: "admin@demo.example.org", password: "demo-passord-2026", next: "/" },
      maxRedirects: 0,
    });
    expect(signIn.headers()["location"]).not.toContain("feil");
    const res = await api.post("/test/klokke", { form: { at } });
    expect(res.status()).toBe(204);
  } finally {
    await api.dispose();
  }
}

/** Page object: the administrators' form for a new user. */
export class NewUserForm {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/admin/brukere/ny");
  }

  async create(user: { name: string; email: string; role: string; district?: string; service?: string; password: string }) {
    await this.page.getByLabel("Navn").fill(user.name);
    await this.page.getByLabel("E-postadresse").fill(user.email);
    await this.page.getByLabel("Rolle").selectOption({ label: user.role });
    if (user.district) await this.page.getByLabel("Bydel").selectOption({ label: user.district });
    if (user.service) await this.page.getByLabel("Tjeneste").selectOption({ label: user.service });
    await this.page.getByLabel("Midlertidig passord").fill(user.password);
    await this.page.getByRole("button", { name: "Opprett bruker" }).click();
  }
}

/** On the intake form: records the resident's consent to share with each of `services` (their
 * labels, e.g. "NAV-kontor"), given orally. The others stay "Ikke spurt ennå". */
export async function consentAtIntake(page: Page, services: string[]) {
  for (const service of services) {
    await page.getByLabel(service, { exact: true }).selectOption({ label: "Gitt" });
    await page.getByLabel(`Hvordan (${service})`, { exact: true }).selectOption({ label: "Muntlig" });
  }
}

/** Every standard service's label on the intake form. */
export const ALL_SERVICES = ["NAV-kontor", "Barneverntjeneste", "Voldskoordinator"];
