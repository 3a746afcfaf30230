// Me: the keys in this browser and who I am.  Create a key (encrypted with a passphrase, or
// after a warning an unencrypted test key), import a `samen keys export` file, export one,
// unlock the current key for this session, switch between keys, lock.
// Nothing here sends a key or passphrase anywhere: keys are read and written in IndexedDB.

import { h, fill, amount } from "../dom.js";
import { Page } from "../section.js";
import * as session from "../app/session.js";
import { accountState } from "../app/tx.js";
import { TEST_KEY_NOTE } from "../app/keyfile.js";
import { deskSection } from "./desk.js";
import { provenBalance } from "./proven.js";

function panel(id, title, ...body) {
  return h("section.panel.wide", { "data-section": id, "data-state": "ready", "aria-label": title },
    h("div.panel-head", {}, h("h2", {}, title)), ...body);
}

function message(el, text, kind = "") {
  el.textContent = text;
  el.className = `form-message ${kind}`;
}

/** A passphrase form unlocking key `name`; calls done() once unlocked. */
export function unlockForm(name, done) {
  const pass = h("input", { type: "password", name: "unlock-passphrase", id: "unlock-passphrase", autocomplete: "current-password" });
  const note = h("p.form-message", { role: "status" });
  const form = h("form.inline-form", { "data-testid": "unlock" },
    h("label", { for: "unlock-passphrase" }, `Passphrase of "${name}"`), pass,
    h("button", { type: "submit" }, "Unlock"), note);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    message(note, "Unlocking… (this takes a few seconds on purpose)");
    try {
      await session.unlock(name, pass.value);
      pass.value = "";
      message(note, "Unlocked for this session.", "ok");
      done();
    } catch (err) {
      pass.value = "";
      message(note, err.message, "bad");
    }
  });
  return form;
}

/** The "who am I" box: the current key, its balance, unlock or lock. */
export async function whoAmI(onChange = () => {}) {
  const me = await session.current();
  if (!me) {
    return h("div.whoami", { "data-testid": "whoami", "data-state": "none" },
      h("p", {}, "No key yet. ", h("a", { href: "#/me" }, "Create or import a key"), " to act on the chain."));
  }
  let balance = "…";
  try {
    const st = await accountState(me.address);
    balance = balanceText(st.balance);
  } catch { balance = "unknown (the API is unreachable)"; }
  const lock = h("button", { type: "button", "data-action": "lock" }, "Lock");
  lock.addEventListener("click", () => { session.lockAll(); onChange(); });
  return h("div.whoami", { "data-testid": "whoami", "data-state": me.signer ? "unlocked" : "locked", "data-address": me.address },
    h("p", {}, "You are ", h("strong", { "data-testid": "whoami-name" }, me.name), " ",
      h("code", { "data-testid": "whoami-address" }, me.address)),
    h("p", {}, "Balance: ", h("span", { "data-testid": "whoami-balance" }, balance)), provenBalance(me.address),
    me.signer ? h("p", {}, "Unlocked for this session (locks after ", String(session.lockAfterSeconds()), " s without activity). ", lock)
      : unlockForm(me.name, onChange));
}

function balanceText(balance) {
  return balance === 0n ? "0 units: no funds yet; ask a member to send you some" : `${amount(String(balance))} units`;
}

function keysTable(keys, rerender) {
  if (!keys.length) return h("p.muted", {}, "No keys in this browser yet.");
  const current = session.currentName();
  return h("ul.key-list", { "data-testid": "keys" }, keys.map((k) => {
    const use = h("button", { type: "button", "data-action": "use" }, k.name === current ? "Current" : "Use this key");
    if (k.name === current) use.disabled = true;
    use.addEventListener("click", () => { session.setCurrent(k.name); rerender(); });
    const exp = h("button", { type: "button", "data-action": "export" }, "Export");
    exp.addEventListener("click", async () => download(`${k.name}.key.json`, await session.exportText(k.name)));
    return h("li", { "data-key": k.name },
      h("strong", {}, k.name), " ", h("code", {}, k.address), " ",
      k.protection === "encrypted" ? h("span.badge.ok", {}, "encrypted") : h("span.badge.bad", {}, "UNENCRYPTED test key"),
      " ", k.unlocked ? h("span.badge.info", {}, "unlocked") : null, " ", use, " ", exp);
  }));
}

function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = h("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Ask before anything would be stored unencrypted; resolves true when the member agrees. */
function confirmUnencrypted() {
  return window.confirm(`${TEST_KEY_NOTE}.\n\nThe key will be stored in this browser WITHOUT encryption: ` +
    "anyone with access to this browser profile can use it. Store it anyway?");
}

function createForm(rerender) {
  const name = h("input", { id: "new-name", name: "new-name", autocomplete: "off" });
  const pass = h("input", { id: "new-pass", name: "new-passphrase", type: "password", autocomplete: "new-password" });
  const again = h("input", { id: "new-pass2", name: "new-passphrase-again", type: "password", autocomplete: "new-password" });
  const plain = h("input", { id: "new-plain", name: "new-unencrypted", type: "checkbox" });
  const note = h("p.form-message", { role: "status", "data-testid": "create-message" });
  const form = h("form.stack", { "data-testid": "create-key" },
    h("label", { for: "new-name" }, "Name"), name,
    h("label", { for: "new-pass" }, "Passphrase (at least 8 characters)"), pass,
    h("label", { for: "new-pass2" }, "Passphrase again"), again,
    h("label.check", { for: "new-plain" }, plain, " No passphrase: an unencrypted test key (development chains only)"),
    h("button", { type: "submit" }, "Create key"), note);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!plain.checked && pass.value !== again.value) return message(note, "The two passphrases differ.", "bad");
    if (plain.checked && !confirmUnencrypted()) return message(note, "Not created: nothing was stored.");
    message(note, "Creating and encrypting… (a few seconds)");
    try {
      const address = await session.create(name.value.trim(), plain.checked ? null : pass.value,
        { unencryptedConfirmed: plain.checked });
      message(note, `Created "${name.value.trim()}" with address ${address}. Export it to keep a backup.`, "ok");
      form.reset();
      rerender();
    } catch (err) {
      message(note, err.message, "bad");
    } finally {
      pass.value = ""; again.value = "";
    }
  });
  return form;
}

function importForm(rerender) {
  const file = h("input", { id: "import-file", name: "import-file", type: "file", accept: ".json,application/json" });
  const pass = h("input", { id: "import-pass", name: "import-passphrase", type: "password", autocomplete: "current-password" });
  const note = h("p.form-message", { role: "status", "data-testid": "import-message" });
  const form = h("form.stack", { "data-testid": "import-key" },
    h("label", { for: "import-file" }, "Key file (from samen keys export)"), file,
    h("label", { for: "import-pass" }, "Its passphrase"), pass,
    h("button", { type: "submit" }, "Import key"), note);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!file.files[0]) return message(note, "Choose a key file first.", "bad");
    try {
      const text = await file.files[0].text();
      const plain = text.includes('"unencrypted"');
      if (plain && !confirmUnencrypted()) return message(note, "Not imported: nothing was stored.");
      message(note, "Checking the passphrase… (a few seconds)");
      const doc = await session.importText(text, pass.value, { unencryptedConfirmed: plain });
      message(note, `Imported "${doc.name}" (${doc.address}).`, "ok");
      form.reset();
      rerender();
    } catch (err) {
      message(note, err.message, "bad");
    } finally {
      pass.value = "";
    }
  });
  return form;
}

export function mount(root) {
  const page = new Page(root, "Me", "Your keys live only in this browser, encrypted with your passphrase, " +
    "in the same file format as the samen CLI. They sign here; no key or passphrase is ever sent.");
  const who = h("div");
  const list = h("div");
  const rerender = async () => {
    fill(who, await whoAmI(rerender));
    fill(list, keysTable(await session.keys(), rerender));
  };
  const desk = deskSection();
  root.append(panel("whoami", "Who am I", who), desk,
    panel("keys", "Keys in this browser", list),
    panel("create", "Create a key", createForm(rerender)), panel("import", "Import a key", importForm(rerender)));
  rerender();
  const stop = session.onChange(() => { rerender(); desk.refresh(); });
  page.unmount = stop;
  const refresh = page.refresh.bind(page);
  page.refresh = async () => {
    await refresh();
    await desk.refresh();
    if (desk.dataset.height) {
      page.asOf.textContent = `As of block ${desk.dataset.height}`;
      page.asOf.dataset.height = desk.dataset.height;
    }
    if (!who.querySelector("input:focus")) await rerenderBalance(who);
  };
  return page;
}

async function rerenderBalance(who) {
  const el = who.querySelector("[data-testid=whoami-balance]");
  const addr = who.querySelector("[data-address]");
  if (!el || !addr) return;
  try {
    const st = await accountState(addr.dataset.address);
    el.textContent = balanceText(st.balance);
  } catch { /* the status strip says the API is down */ }
}
