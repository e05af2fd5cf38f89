import { test, expect } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { consentAtIntake, expectHydrated, signInAs } from "./pages";

// A message's link in practice: the portal writes its messages as .eml files
// (PORTAL_MAIL_DIR, see playwright.config.ts); a caseworker opens the link in the message about
// a new task, signs in, lands on the task and completes it with one button.

const MAIL_DIR = join(__dirname, "..", ".e2e-data", "mail");

function mailFiles(): string[] {
  try {
    return readdirSync(MAIL_DIR).filter((f) => f.endsWith(".eml"));
  } catch {
    return [];
  }
}

/** The message's text as a mail program shows it: every part decoded (quoted-printable or
 * base64), headers as they are. */
function decoded(raw: string): string {
  const parts = [raw];
  const re = /Content-Transfer-Encoding:\s*(base64|quoted-printable)[^\n]*\n(?:[^\n]+\n)*?\r?\n([\s\S]*?)(?=\r?\n--|$)/gi;
  for (const m of raw.matchAll(re)) {
    const body = m[2];
    if (m[1].toLowerCase() === "base64") {
      parts.push(Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8"));
    } else {
      const bytes = body
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
      parts.push(Buffer.from(bytes, "latin1").toString("utf8"));
    }
  }
  return parts.join("\n");
}

test("a caseworker follows the link in the message about a new task, signs in and completes it", async ({ browser }) => {
  const before = new Set(mailFiles());

  // Crisis center staff create a plan for a resident of Frogner (without JavaScript).
  const staffContext = await browser.newContext({ javaScriptEnabled: false });
  const staff = await staffContext.newPage();
  await signInAs(staff, "krisesenter");
  await staff.goto("/planer/ny");
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await staff.getByLabel("Navn eller avtalt alias", { exact: true }).fill("Lenke Testesen");
  await staff.getByLabel("Fødselsår", { exact: true }).fill("1985");
  await staff.getByLabel("Kjønn (til statistikk)", { exact: true }).selectOption({ label: "Kvinne" });
  await staff.getByLabel("Innflyttingsdato", { exact: true }).fill(yesterday);
  await staff.getByLabel("Hvordan beboeren kom", { exact: true }).selectOption({ label: "Politiet" });
  await staff.getByLabel("Tilhørighetsbydel", { exact: true }).selectOption({ label: "Frogner" });
  await consentAtIntake(staff, ["NAV-kontor"]);
  await staff.getByRole("button", { name: "Opprett plan" }).click();
  await expect(staff.getByRole("heading", { level: 1 })).toContainText("Lenke Testesen");
  await staffContext.close();

  // The sender writes the message within seconds: NAV Frogner's new housing plan.
  let link = "";
  await expect
    .poll(
      () => {
        for (const file of mailFiles().filter((f) => !before.has(f))) {
          const text = decoded(readFileSync(join(MAIL_DIR, file), "utf8"));
          if (!/^To: .*postmottak\.nav\.frogner@example\.org/m.test(text)) continue;
          if (!text.includes("Subject: Ny oppgave: Plan for boligfremskaffelse")) continue;
          expect(text).not.toContain("Lenke Testesen");
          link = text.match(/https?:\/\/[^\s"<>]+\/oppgaver\/\d+/)?.[0] ?? "";
          if (link) return link;
        }
        return "";
      },
      { timeout: 20_000, intervals: [250, 500, 1000] },
    )
    .not.toBe("");

  // The caseworker opens the link, is asked to sign in, and lands on the task.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await expect(page).toHaveURL(/\/logg-inn\?neste=/);
  await page.getByLabel("E-postadresse").fill("nav.frogner@demo.example.org");
  await page.getByLabel("Passord", { exact: true }).fill("demo-passord-2026");
  await page.locator("form.sign-in").getByRole("button").click();
  await expect(page).toHaveURL(new URL(link).pathname);
  await expect(page.getByRole("heading", { level: 1, name: "Plan for boligfremskaffelse" })).toBeVisible();
  await expectHydrated(page);

  // One button completes it.
  await page.getByRole("button", { name: "Marker som utført" }).click();
  await expect(page.getByRole("status")).toContainText("Oppgaven er oppdatert.");
  await expect(page.getByRole("button", { name: "Marker som utført" })).toHaveCount(0);
  await context.close();
});

test("a caseworker chooses the daily digest and subscribes the unit's calendar, without JavaScript", async ({ browser, request }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAs(page, "vold.frogner");
  await page.goto("/");
  await page.getByRole("link", { name: "Min konto" }).click();
  await expect(page).toHaveURL(/\/konto$/);

  // Notification choices: a plain form with the current choice marked.
  await expect(page.getByLabel("For hver hendelse", { exact: false })).toBeChecked();
  await page.getByLabel("Bare den daglige oversikten over enhetens oppgaver").check();
  await page.getByLabel("English").check();
  await page.getByRole("button", { name: "Lagre varselvalg" }).click();
  await expect(page).toHaveURL(/\/konto\?ok=varsler$/);
  await expect(page.getByRole("status")).toContainText("Varslingsvalgene dine er lagret.");
  await expect(page.getByLabel("Bare den daglige oversikten over enhetens oppgaver")).toBeChecked();
  await expect(page.getByLabel("English")).toBeChecked();

  // The calendar link is shown once; a calendar program reads it without signing in.
  await expect(page.getByText("Enheten har ingen kalenderlenke.")).toBeVisible();
  await page.getByRole("button", { name: "Lag kalenderlenke" }).click();
  const field = page.getByLabel("Kalenderlenke", { exact: true });
  const first = await field.inputValue();
  expect(first).toMatch(/\/kalender\/[0-9a-f]{64}\.ics$/);
  const path = (url: string) => url.slice(url.indexOf("/kalender/"));
  const feed = await request.get(path(first));
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toBe("text/calendar; charset=utf-8");
  expect(await feed.text()).toContain("BEGIN:VCALENDAR");
  await page.goto("/konto");
  await expect(page.getByLabel("Kalenderlenke", { exact: true })).toHaveCount(0);

  // A new link ends the old one; turning it off ends the new one.
  await page.getByRole("button", { name: "Lag ny lenke (den gamle slutter å virke)" }).click();
  const second = await page.getByLabel("Kalenderlenke", { exact: true }).inputValue();
  expect(second).not.toBe(first);
  expect((await request.get(path(first))).status()).toBe(404);
  expect((await request.get(path(second))).status()).toBe(200);
  await page.getByRole("button", { name: "Slå av kalenderlenken" }).click();
  await expect(page.getByText("Enheten har ingen kalenderlenke.")).toBeVisible();
  expect((await request.get(path(second))).status()).toBe(404);
  await context.close();
});
