import { test, expect } from "@playwright/test";
import { expectHydrated, expectNoAxeViolations, signInAs } from "./pages";

// Deviations (avvik) as a caseworker and a reviewer meet them: reported from a task, refused
// closing without a cause and a measure, closed with them; the reviewer's list shows the row and
// nothing of the free text. Without JavaScript: every form here is a plain post.

test("a caseworker reports a deviation, closes it only with a cause and a measure, and a reviewer sees the row without its text", async ({ browser }) => {
  const note = "Playwright-avvik: boligplanen ble glemt";
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAs(page, "nav.frogner");
  await page.goto("/oppgaver");
  await page.locator("table.tasks tbody tr a[href^='/oppgaver/']").first().click();
  await page.getByText("Meld et avvik på denne oppgaven").click();
  await page.getByLabel("Hva skjedde?", { exact: true }).fill(note);
  await page.getByRole("button", { name: "Meld avvik" }).click();
  await expect(page).toHaveURL(/\/avvik\/\d+\?ok=avvik_opprettet$/);
  const url = page.url().replace(/\?.*$/, "");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Avvik:");
  await expect(page.getByRole("cell", { name: note })).toBeVisible();

  // Closing without a cause is refused, with the field named.
  await page.getByRole("button", { name: "Lukk avviket" }).click();
  await expect(page.getByRole("alert")).toContainText("Årsak");
  await page.getByLabel("Årsak", { exact: true }).selectOption({ label: "Kapasitet eller bemanning" });
  await page.getByLabel("Tiltak", { exact: true }).selectOption({ label: "Opplæring" });
  await page.getByRole("button", { name: "Lukk avviket" }).click();
  await expect(page).toHaveURL(/\?ok=avvik$/);
  await expect(page.locator("dl.facts")).toContainText("Lukket");
  await expect(page.locator("dl.facts")).toContainText("Demo NAV Frogner");
  await expect(page.getByRole("button", { name: "Gjenåpne avviket" })).toBeVisible();
  await context.close();

  // The reviewer's list has the row (district, step, cause, measure) and not the text.
  const reviewerContext = await browser.newContext();
  const reviewer = await reviewerContext.newPage();
  await signInAs(reviewer, "kontrollor");
  await reviewer.goto("/avvik?status=closed");
  await expectHydrated(reviewer);
  const row = reviewer.locator("table.deviations tbody tr", { hasText: "Frogner" }).first();
  await expect(row).toContainText("Kapasitet eller bemanning");
  await expect(row).toContainText("Opplæring");
  await expect(reviewer.locator("body")).not.toContainText(note);
  await expect(reviewer.locator("table.deviations a")).toHaveCount(0);
  await expectNoAxeViolations(reviewer);
  const res = await reviewer.goto(url);
  expect(res?.status()).toBe(403);
  await reviewerContext.close();
});

for (const lang of ["nb", "en"]) {
  test(`the deviation pages have no axe-core violations (${lang})`, async ({ browser }) => {
    const context = await browser.newContext();
    await context.addCookies([{ name: "lang", value: lang, url: "http://127.0.0.1:3100" }]);
    const page = await context.newPage();
    await signInAs(page, "krisesenter");
    for (const path of ["/avvik", "/avvik?status=open", "/avvik?status=closed"]) {
      await page.goto(path);
      await expectHydrated(page);
      await expectNoAxeViolations(page);
    }
    // The deviation the test above reported (the crisis center sees every one), also with the
    // message of a refused change.
    await page.goto("/avvik");
    const reported = lang === "nb" ? "Meldt av ansatt" : "Reported by staff";
    const first = page
      .locator("table.deviations tbody tr", { hasText: "Frogner" })
      .filter({ hasText: reported })
      .locator("a[href^='/avvik/']")
      .first();
    await expect(first).toBeVisible();
    const href = (await first.getAttribute("href"))!;
    for (const path of [href, `${href}?feil=E-INVALID-INPUT&felt=cause`, `${href}?ok=avvik`]) {
      await page.goto(path);
      await expectHydrated(page);
      await expectNoAxeViolations(page);
    }
    await context.close();
    // The district's caseworker's view of it with its forms: closed (nb), reopened (nb, en).
    const district = await browser.newContext();
    await district.addCookies([{ name: "lang", value: lang, url: "http://127.0.0.1:3100" }]);
    const nav = await district.newPage();
    await signInAs(nav, "nav.frogner");
    await nav.goto(href);
    await expectHydrated(nav);
    await expectNoAxeViolations(nav);
    if (lang === "nb") {
      await nav.getByRole("button", { name: "Gjenåpne avviket" }).click();
      await expect(nav.getByRole("button", { name: "Lukk avviket" })).toBeVisible();
    }
    await nav.goto(href);
    await expectHydrated(nav);
    await expectNoAxeViolations(nav);
    await district.close();
  });
}
