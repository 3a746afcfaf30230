// The browser's keyring: key documents in IndexedDB ("samen-app" / "keys", by name), stored
// exactly as `samen keys export` writes them.  An encrypted document holds the seed only
// sealed with the member's passphrase; an unencrypted test key is stored only when the
// caller passes `unencryptedConfirmed` (the page asks first, with a warning).

const DB = "samen-app";
const STORE = "keys";

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "name" });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run(mode, work) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req ? req.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Every stored key document, by name. */
export function listKeys() {
  return run("readonly", (s) => s.getAll());
}

/** One stored key document, or undefined. */
export function getKey(name) {
  return run("readonly", (s) => s.get(name));
}

/** Store a new key document; refuses an existing name and an unconfirmed unencrypted key. */
export async function addKey(doc, { unencryptedConfirmed = false } = {}) {
  if (doc.protection !== "encrypted" && !unencryptedConfirmed) {
    throw new Error("Refusing to store an unencrypted key without confirmation.");
  }
  if (doc.protection === "encrypted" && ("seed" in doc)) throw new Error("An encrypted key document holds no seed.");
  if (await getKey(doc.name)) throw new Error(`A key named "${doc.name}" already exists in this browser.`);
  await run("readwrite", (s) => s.add(doc));
}

/** Remove a key document. */
export function deleteKey(name) {
  return run("readwrite", (s) => s.delete(name));
}
