import { test, expect } from "@playwright/test";
import { DistrictsPage, SignInPage, expectHydrated, expectNoAxeViolations, signInAs } from "./pages";

const OSLO = [
  "Gamle Oslo", "Grünerløkka", "Sagene", "St. Hanshaugen", "Frogner", "Ullern", "Vestre Aker",
  "Nordre Aker", "Bjerke", "Grorud", "Stovner", "Alna", "Østensjø", "Nordstrand", "Søndre Nordstrand",
];

test.describe("with JavaScript", () => {
  test.beforeEach(async ({ page }) => signInAs(page, "nav.alna"));

  test("the page hydrates: the wasm bundle runs", async ({ page }) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto("/");
    await expectHydrated(page);
    expect(errors).toEqual([]);
  });

  test("the home page is Norwegian, with landmarks and a working skip link", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "nb");
    await expect(page).toHaveTitle(/Reetableringsportalen/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Reetablering etter krisesenteropphold");
    await expect(page.getByRole("banner")).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Hovedmeny" })).toBeVisible();
    await expect(page.getByRole("contentinfo")).toBeVisible();
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Hopp til hovedinnhold" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press("Enter");
    await expect(page.locator("main#main")).toBeFocused();
  });

  test("the districts list shows Oslo's 15 districts and filters as you type", async ({ page }) => {
    const districts = new DistrictsPage(page);
    await districts.goto();
    await expectHydrated(page);
    await expect(districts.rows).toHaveCount(15);
    for (const name of OSLO) await expect(districts.link(name)).toBeVisible();
    const url = page.url();
    await districts.filter.pressSequentially("nord");
    await expect(districts.rows).toHaveCount(3);
    await expect(districts.count).toHaveText("Viser 3 av 15 bydeler");
    expect(page.url()).toBe(url); // filtered in place, no page load
    await districts.filter.fill("bergen");
    await expect(page.getByText("Ingen bydeler passer til filteret.")).toBeVisible();
    await districts.filter.fill("");
    await expect(districts.rows).toHaveCount(15);
  });

  test("a district page shows its services and contact people", async ({ page }) => {
    const districts = new DistrictsPage(page);
    await districts.goto();
    await districts.link("Alna").click();
    await expect(page).toHaveURL(/\/bydeler\/alna$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Alna");
    for (const service of ["NAV Alna", "Barneverntjenesten i bydel Alna", "Voldskoordinator i bydel Alna", "Boligkontoret i bydel Alna"]) {
      await expect(page.getByRole("heading", { level: 3, name: service })).toBeVisible();
    }
    const nav = page.getByRole("region", { name: "NAV Alna" });
    await expect(nav.getByRole("table")).toBeVisible();
    await expect(nav.getByRole("row")).toHaveCount(4); // header + 3 contacts
    await expect(nav.getByRole("link", { name: /@example\.org$/ }).first()).toBeVisible();
  });

  test("an unknown district answers 404 with a translated page", async ({ page }) => {
    const res = await page.goto("/bydeler/bergen");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Fant ikke siden");
  });

  test("the language switch changes to English, is remembered, and switches back", async ({ page }) => {
    await page.goto("/bydeler?q=al");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page).toHaveURL(/\/bydeler\?q=al$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Districts");
    await page.getByRole("link", { name: "Home" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Re-establishment after a crisis center stay");
    await page.getByRole("button", { name: "Norsk (bokmål)" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "nb");
  });
});

test.describe("signing in", () => {
  test("a user signs in, sees their name in the header, and signs out", async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await expectHydrated(page);
    await signIn.signIn("admin@demo.example.org", "demo-passord-2026");
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("banner")).toContainText("Innlogget som Demo Administrator");
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Logg ut" }).click();
    await expect(page).toHaveURL(/\/logg-inn\?ute=1$/);
    await expect(page.getByRole("status")).toContainText("Du er logget ut.");
    await expect(page.getByRole("banner")).not.toContainText("Demo Administrator");
  });

  test("a wrong password gives one general message and no session", async ({ page, context }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn("admin@demo.example.org", "feil-passord-123");
    await expect(page).toHaveURL(/\/logg-inn\?feil=1$/);
    await expect(page.getByRole("alert")).toContainText("Feil e-postadresse eller passord.");
    expect((await context.cookies()).map((c) => c.name)).not.toContain("portal_session");
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the filter works as a plain GET form", async ({ page }) => {
    await signInAs(page, "nav.alna");
    const districts = new DistrictsPage(page);
    await districts.goto();
    await expect(districts.rows).toHaveCount(15);
    await districts.filter.fill("nord");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await expect(page).toHaveURL(/\/bydeler\?q=nord$/);
    await expect(districts.rows).toHaveCount(3);
    await expect(districts.filter).toHaveValue("nord");
    await expect(page.locator("html")).not.toHaveAttribute("data-hydrated", "true");
  });

  test("signing in works as a plain form", async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn("nav.alna@demo.example.org", "demo-passord-2026");
    await expect(page.getByRole("banner")).toContainText("Demo NAV Alna");
  });

  test("the language switch works as a plain form", async ({ page }) => {
    await signInAs(page, "nav.alna");
    await page.goto("/bydeler/frogner");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page).toHaveURL(/\/bydeler\/frogner$/);
    await expect(page.getByRole("heading", { level: 2, name: "Services and contact people" })).toBeVisible();
  });
});

test.describe("accessibility", () => {
  const pages = ["/logg-inn", "/logg-inn?feil=1", "/", "/bydeler", "/bydeler?q=nord", "/bydeler?q=bergen", "/bydeler/alna", "/bydeler/sondre-nordstrand", "/finnes-ikke", "/konto", "/konto?ok=varsler", "/konto?feil=E-INVALID-INPUT&felt=notify", "/konto/passord", "/konto/passord?feil=E-INVALID-INPUT&felt=repeat_password", "/konto/engangskode", "/konto/engangskode?feil=E-INVALID-INPUT&felt=code"];
  for (const lang of ["nb", "en"]) {
    for (const path of pages) {
      test(`${path} (${lang}) has no axe-core violations`, async ({ page, context }) => {
        await context.addCookies([{ name: "lang", value: lang, url: "http://127.0.0.1:3100" }]);
        if (!path.startsWith("/logg-inn")) await signInAs(page, "nav.alna");
        await page.goto(path);
        await expectHydrated(page);
        await expectNoAxeViolations(page);
      });
    }
  }
});

test.describe("accessibility of the administration pages", () => {
  const pages = ["/bydeler", "/bydeler/alna", "/admin/rutiner", "/admin/rutiner?feil=E-INVALID-INPUT&felt=offset", "/admin/brukere", "/admin/brukere/ny", "/admin/brukere/ny?feil=E-INVALID-INPUT&felt=email", "/admin/brukere/2?ok=bruker", "/admin/logg", "/admin/logg?from=2026-02-30", "/admin/utsendinger", "/kontroll", "/kontroll?periode=2025", "/kontroll?fra=2026-04-01&til=2026-03-01", "/avvik"];
  for (const lang of ["nb", "en"]) {
    for (const path of pages) {
      test(`${path} (${lang}) has no axe-core violations`, async ({ page, context }) => {
        await context.addCookies([{ name: "lang", value: lang, url: "http://127.0.0.1:3100" }]);
        await signInAs(page, "admin");
        await page.goto(path);
        await expectHydrated(page);
        await expectNoAxeViolations(page);
      });
    }
  }
});

test("the first load of the districts page is within the page-weight budget", async ({ page }) => {
  const sizes: { url: string; bytes: number }[] = [];
  page.on("requestfinished", async (req) => {
    const s = await req.sizes();
    sizes.push({ url: req.url(), bytes: s.responseBodySize + s.responseHeadersSize });
  });
  await signInAs(page, "nav.alna");
  await page.goto("/bydeler");
  await expectHydrated(page);
  await page.waitForLoadState("networkidle");
  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  const wasm = sizes.filter((s) => s.url.endsWith(".wasm")).reduce((n, s) => n + s.bytes, 0);
  console.log(`page weight /bydeler: total ${total} B, wasm ${wasm} B`, sizes);
  expect(wasm).toBeGreaterThan(0);
  expect(wasm).toBeLessThanOrEqual(150 * 1024);
  expect(total).toBeLessThanOrEqual(250 * 1024);
});
