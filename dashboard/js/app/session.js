// Who am I: the key the page acts with, unlocked for this tab's session into a
// non-extractable WebCrypto key (the seed is wiped right after import).  Nothing secret is
// kept anywhere else: localStorage holds only the current key's NAME and the inactivity
// limit.  Keys lock after LOCK_AFTER seconds without a keystroke, click or touch.

import { addKey, deleteKey, getKey, listKeys } from "./keystore.js";
import { documentText, openSeed, parseDocument, sealSeed } from "./keyfile.js";
import { newSeed, signerFromSeed } from "./signer.js";
import { wipe } from "./bytes.js";

const CURRENT = "samen.currentKey";
const LOCK_AFTER = "samen.lockAfterSeconds";
const DEFAULT_LOCK_AFTER_S = 600;

const unlocked = new Map();          // name -> signer {key, publicKey, address}
const listeners = new Set();
let lastActivity = Date.now();

/** onChange(fn): fn() after any change of keys, current key or lock state. */
export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }
function changed() { for (const fn of listeners) fn(); }

export function lockAfterSeconds() {
  const v = Number(localStorage.getItem(LOCK_AFTER));
  return Number.isInteger(v) && v > 0 ? v : DEFAULT_LOCK_AFTER_S;
}

/** Every key in this browser: [{name, address, protection, unlocked}]. */
export async function keys() {
  return (await listKeys()).map((d) => ({ name: d.name, address: d.address, protection: d.protection,
    unlocked: unlocked.has(d.name) }));
}

export function currentName() { return localStorage.getItem(CURRENT) || ""; }

export function setCurrent(name) {
  localStorage.setItem(CURRENT, name);
  changed();
}

/** The current key's {name, address, signer|null}, or null when there is none. */
export async function current() {
  const name = currentName();
  const doc = name ? await getKey(name) : undefined;
  if (!doc) return null;
  return { name, address: doc.address, protection: doc.protection, signer: unlocked.get(name) || null };
}

async function remember(name, seed) {
  try {
    unlocked.set(name, await signerFromSeed(seed));
  } finally {
    wipe(seed);
  }
  lastActivity = Date.now();
}

/** Create a key: encrypted with `passphrase`, or (null, after the page's warning) a test key. */
export async function create(name, passphrase, { unencryptedConfirmed = false } = {}) {
  const seed = newSeed();
  const doc = await sealSeed(name, seed, passphrase);
  await addKey(doc, { unencryptedConfirmed });
  await remember(name, seed);
  setCurrent(name);
  return doc.address;
}

/** Import a key file's text (checked by opening it with `passphrase`), stored as it is. */
export async function importText(text, passphrase, { unencryptedConfirmed = false } = {}) {
  const doc = parseDocument(text);
  const seed = await openSeed(doc, passphrase);
  await addKey(doc, { unencryptedConfirmed });
  await remember(doc.name, seed);
  setCurrent(doc.name);
  return doc;
}

/** Unlock a stored key for this session. */
export async function unlock(name, passphrase) {
  const doc = await getKey(name);
  if (!doc) throw new Error(`No key named "${name}" in this browser.`);
  await remember(name, await openSeed(doc, passphrase));
  changed();
}

/** Forget every unlocked key (the stored, encrypted documents stay). */
export function lockAll() {
  if (!unlocked.size) return;
  unlocked.clear();
  changed();
}

/** The text of a stored key's file, as `samen keys export` writes it (already encrypted). */
export async function exportText(name) {
  const doc = await getKey(name);
  if (!doc) throw new Error(`No key named "${name}" in this browser.`);
  return documentText(doc);
}

export async function remove(name) {
  await deleteKey(name);
  unlocked.delete(name);
  if (currentName() === name) localStorage.removeItem(CURRENT);
  changed();
}

/** Start the inactivity lock: any input counts as activity. */
export function startInactivityLock() {
  for (const ev of ["keydown", "pointerdown", "touchstart"]) {
    window.addEventListener(ev, () => { lastActivity = Date.now(); }, { passive: true, capture: true });
  }
  setInterval(() => {
    if (unlocked.size && Date.now() - lastActivity > lockAfterSeconds() * 1000) lockAll();
  }, 1000);
}
