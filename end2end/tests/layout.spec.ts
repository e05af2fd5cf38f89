import { test, expect, type Page } from "@playwright/test";
import { signInAs } from "./pages";

// Mobile and print: every main page works at 320 CSS px without horizontal scrolling (WCAG 2.1
// 1.4.10 reflow; wide tables scroll inside their own region or stack their rows) and at 1280 px;
// a plan prints as a clean document (no navigation or form controls, with who printed it).

const MAIN_PAGES: Record<string, string[]> = {
  krisesenter: ["/", "/planer", "/planer/ny", "/oppgaver", "/bydeler", "/bydeler/alna", "/avvik", "/konto"],
  "nav.alna": ["/", "/oppgaver", "/oppgaver?frist=forfalt", "/bydeler/alna/frister", "/internkontroll/alna"],
  kontrollor: ["/kontroll", "/kontroll/alna", "/avvik", "/internkontroll", "/internkontroll/alna"],
  admin: ["/admin/brukere", "/admin/brukere/ny", "/admin/rutiner", "/admin/logg", "/admin/utsendinger", "/internkontroll/alna"],
};

async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

for (const width of [320, 1280]) {
  for (const [user, paths] of Object.entries(MAIN_PAGES)) {
    test(`the main pages of ${user} need no horizontal scrolling at ${width} px`, async ({ browser }) => {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      await signInAs(page, user);
      const wide: string[] = [];
      for (const path of paths) {
        await page.goto(path);
        const by = await overflow(page);
        if (by > 0) wide.push(`${path}: ${by} px too wide`);
      }
      if (user === "krisesenter") {
        // A plan's page, the longest of them.
        await page.goto("/planer");
        await page.locator("main table a[href^='/planer/']").first().click();
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        const by = await overflow(page);
        if (by > 0) wide.push(`${page.url()}: ${by} px too wide`);
      }
      expect(wide).toEqual([]);
      await context.close();
    });
  }
}

// Text enlarged to 200 % (WCAG 2.1 1.4.4), as a browser's text-only zoom does: the root font
// size doubled at 1280 px. Every main page still fits without horizontal scrolling, and the
// header's menu and sign-out stay visible.
for (const [user, paths] of Object.entries(MAIN_PAGES)) {
  test(`the main pages of ${user} work with text at 200 %`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => {
      document.addEventListener("DOMContentLoaded", () => {
        document.documentElement.style.fontSize = "200%";
      });
    });
    const page = await context.newPage();
    await signInAs(page, user);
    const wide: string[] = [];
    for (const path of paths) {
      await page.goto(path);
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe("32px");
      const by = await overflow(page);
      if (by > 0) wide.push(`${path}: ${by} px too wide`);
      await expect(page.getByRole("button", { name: "Logg ut" })).toBeVisible();
    }
    expect(wide).toEqual([]);
    await context.close();
  });
}

test("the header menu and sign-out stay reachable at 320 px", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await signInAs(page, "nav.alna");
  await page.goto("/oppgaver");
  await expect(page.getByRole("navigation").getByRole("link", { name: "Oppgaver" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Logg ut" })).toBeVisible();
  await context.close();
});

test("a plan prints as a clean document", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, "krisesenter");
  await page.goto("/planer");
  await page.locator("main table a[href^='/planer/']").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.locator("input:visible, select:visible, textarea:visible, button:visible")).toHaveCount(0);
  await expect(page.locator("header:visible, nav:visible, footer:visible")).toHaveCount(0);
  await expect(page.locator(".print-only")).toContainText("Skrevet ut");
  await expect(page.locator("table.tasks")).toBeVisible();
  await page.emulateMedia({ media: "screen" });
  await expect(page.locator(".print-only")).toBeHidden();
  await context.close();
});

// Checkboxes and radios look like Designsystemet's: square (round) toggles of its size, filled
// when chosen. A layout rule that shrank them to an 8 px sliver made every one look unchecked.
const TOGGLE_PAGES: Record<string, string[]> = {
  krisesenter: ["/planer/ny", "/konto"],
  kontrollor: ["/kontroll?bydel=alna&bydel=stovner"],
  admin: ["/admin/brukere/2"],
};

for (const [user, paths] of Object.entries(TOGGLE_PAGES)) {
  test(`the checkboxes and radios of ${user}'s pages are Designsystemet's toggles`, async ({ page }) => {
    await signInAs(page, user);
    const wrong: string[] = [];
    let seen = 0;
    for (const path of paths) {
      await page.goto(path);
      const toggles = page.locator("main input[type=checkbox]:visible, main input[type=radio]:visible");
      const n = await toggles.count();
      for (let i = 0; i < n; i++) {
        const toggle = toggles.nth(i);
        const box = await toggle.boundingBox();
        const id = `${path} ${(await toggle.getAttribute("name")) ?? ""}`;
        if (!box || box.width < 20 || Math.abs(box.width - box.height) > 1) {
          wrong.push(`${id}: ${box?.width}×${box?.height} px`);
          continue;
        }
        seen++;
        await toggle.check();
        const fill = await toggle.evaluate((e) => getComputedStyle(e).backgroundColor);
        if (fill === "rgba(0, 0, 0, 0)" || fill === "rgb(255, 255, 255)") wrong.push(`${id}: not filled when chosen`);
      }
    }
    expect(wrong).toEqual([]);
    expect(seen).toBeGreaterThan(0);
  });
}
