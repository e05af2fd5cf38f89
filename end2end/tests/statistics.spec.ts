import { test, expect } from "@playwright/test";
import { expectHydrated, expectNoAxeViolations, signInAs } from "./pages";

// The crisis center's statistics page: the year's figures with their charts and tables, and
// how each is counted; no axe-core violations in Norwegian or English.

for (const lang of ["nb", "en"]) {
  test(`the statistics page shows the year's figures and has no axe-core violations (${lang})`, async ({ browser }) => {
    const context = await browser.newContext();
    await context.addCookies([{ name: "lang", value: lang, url: "http://127.0.0.1:3100" }]);
    const page = await context.newPage();
    await signInAs(page, "krisesenter");
    await page.goto("/");
    await page.getByRole("navigation").getByRole("link", { name: lang === "nb" ? "Statistikk" : "Statistics" }).click();
    await expect(page).toHaveURL(/\/statistikk$/);
    await expectHydrated(page);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    // The demo plans (three adults) and those other specs took in this year, by gender in a
    // table beside the chart.
    const adults = page.locator("dl.stats-figures div").first().locator("dd");
    await expect(adults).toHaveText(/^\d+$/);
    expect(Number(await adults.innerText())).toBeGreaterThanOrEqual(3);
    await expect(page.locator("table.stats-table").first()).toBeVisible();
    await expect(page.locator("svg.chart").first()).toBeVisible();
    await expectNoAxeViolations(page);
    // Another year from the selector.
    const year = String(new Date().getFullYear());
    await expect(page.locator("#stats-year")).toHaveValue(year);
    await context.close();
  });
}
