"""Key files move both ways between the page and the CLI: the page's scrypt and
ChaCha20-Poly1305 (``dashboard/js/app/``, hand-written because WebCrypto has neither) agree
with Python's, a key created in the page imports with ``samen keys import`` and signs there,
and a key exported by ``samen keys export`` opens in the page and signs there.  Debian's
Chromium, served by a static server on loopback (``static_site`` in conftest)."""

from __future__ import annotations

import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from abci_app.tools.client.keyring import Keyring
from tests.cli.helpers import invoke

PASS = "correct horse battery staple"


@pytest.fixture(scope="module")
def page(browser, static_site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{static_site}/style.css")
    yield page
    context.close()


SCRYPT = """async ([pw, salt, n, r, p, len]) => {
  const { scrypt } = await import('/js/app/scrypt.js');
  const { toHex, fromHex, utf8 } = await import('/js/app/bytes.js');
  return toHex(await scrypt(utf8(pw), fromHex(salt), n, r, p, len));
}"""


@pytest.mark.parametrize("password,salt,n,r,p,length", [
    ("password", b"NaCl", 1024, 8, 16, 64),                   # RFC 7914 section 12, second vector
    (PASS, bytes(range(16)), 1 << 14, 8, 1, 32),
    ("pässwörd ☕", b"0123456789abcdef", 1 << 15, 2, 3, 32),
], ids=["rfc-nacl", "keyring-minimum-n", "unicode-r2-p3"])
def test_the_page_scrypt_matches_python(page, password, salt, n, r, p, length):
    expected = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=1 << 30, dklen=length)
    assert page.evaluate(SCRYPT, [password, salt.hex(), n, r, p, length]) == expected.hex()


def test_the_page_opens_a_key_exported_by_the_cli_and_signs_there(page, tmp_path):
    env = {"SAMEN_PASSPHRASE": PASS}
    ring = ["--keyring-dir", str(tmp_path / "kr")]
    assert invoke(["keys", "add", "dora", *ring], env=env).exit_code == 0
    exported = invoke(["keys", "export", "dora", *ring], env=env)
    assert exported.exit_code == 0, exported.stderr
    got = page.evaluate("""async ([text, pw]) => {
      const kf = await import('/js/app/keyfile.js');
      const { signerFromSeed, sign } = await import('/js/app/signer.js');
      const { toHex, utf8 } = await import('/js/app/bytes.js');
      const doc = kf.parseDocument(text);
      let wrong;
      try { await kf.openSeed(doc, 'not the passphrase'); } catch (e) { wrong = e.message; }
      const s = await signerFromSeed(await kf.openSeed(doc, pw));
      return { address: s.address, signature: toHex(await sign(s, utf8('hello from the page'))),
               public_key: toHex(s.publicKey), wrong };
    }""", [exported.stdout, PASS])
    doc = json.loads(exported.stdout)
    assert got["address"] == doc["address"]
    assert got["wrong"] == 'Wrong passphrase for key "dora".'
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(got["public_key"])).verify(
        bytes.fromhex(got["signature"]), b"hello from the page")


def test_a_key_created_in_the_page_imports_with_the_cli_and_signs_there(page, tmp_path):
    made = page.evaluate("""async (pw) => {
      const kf = await import('/js/app/keyfile.js');
      const { newSeed } = await import('/js/app/signer.js');
      const doc = await kf.sealSeed('erin', newSeed(), pw);
      return kf.documentText(doc);
    }""", PASS)
    doc = json.loads(made)
    assert doc["protection"] == "encrypted" and doc["kdf"]["n"] == 1 << 17 and "seed" not in doc
    path = tmp_path / "erin.key.json"
    path.write_text(made)
    ring = tmp_path / "kr"
    imported = invoke(["keys", "import", "erin", str(path), "--keyring-dir", str(ring), "-o", "json"],
                      env={"SAMEN_PASSPHRASE": PASS})
    assert imported.exit_code == 0, imported.stderr
    assert json.loads(imported.stdout)["address"] == doc["address"]
    signer = Keyring(ring).signer("erin", PASS)
    signature = signer.sign(b"hello from the CLI")
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(doc["public_key"])).verify(signature, b"hello from the CLI")


def test_the_page_refuses_a_short_passphrase_and_crafted_scrypt_costs(page):
    errors = page.evaluate("""async () => {
      const kf = await import('/js/app/keyfile.js');
      const { newSeed } = await import('/js/app/signer.js');
      const out = [];
      try { await kf.sealSeed('x', newSeed(), 'short'); } catch (e) { out.push(e.message); }
      const doc = await kf.sealSeed('x', newSeed(), null);
      const crafted = { ...doc, protection: 'encrypted', kdf: { name: 'scrypt', n: 2 ** 22, r: 8, p: 1, salt: '00'.repeat(16) },
                        cipher: { name: 'chacha20-poly1305', nonce: '00'.repeat(12), ciphertext: '00'.repeat(48) } };
      try { await kf.openSeed(crafted, 'long enough passphrase'); } catch (e) { out.push(e.message); }
      return out;
    }""")
    assert errors == ["Use a passphrase of at least 8 characters.",
                      "This key file asks for unsupported scrypt parameters."]
