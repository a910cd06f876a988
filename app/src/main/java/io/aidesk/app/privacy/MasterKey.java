package io.aidesk.app.privacy;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

/**
 * Wraps the contacts' keys before they are stored, so the key table alone opens nothing: AES-256-GCM under a key
 * derived (SHA-256) from the configured secret, bound to the tenant and the key id.
 */
final class MasterKey {
    static final int MIN_SECRET_LENGTH = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random;

    MasterKey(String secret, SecureRandom random) {
        if (secret == null || secret.strip().length() < MIN_SECRET_LENGTH) {
            throw new IllegalStateException("the privacy master key (aidesk.privacy.master-key) must have at least "
                    + MIN_SECRET_LENGTH + " characters");
        }
        try {
            this.key = new SecretKeySpec(MessageDigest.getInstance("SHA-256")
                    .digest(secret.strip().getBytes(StandardCharsets.UTF_8)), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        this.random = random;
    }

    /** The secret itself, or else the file's content (the launcher writes .aidesk/privacy-master-key). */
    static MasterKey of(PrivacyProperties properties, SecureRandom random) {
        String secret = properties.masterKey();
        if (blank(secret) && !blank(properties.masterKeyFile())) {
            Path file = Path.of(properties.masterKeyFile());
            try {
                secret = Files.exists(file) ? Files.readString(file).strip() : null;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the privacy master key from " + file.toAbsolutePath(), e);
            }
        }
        if (blank(secret)) {
            throw new IllegalStateException("no privacy master key: start AI Desk with ./aidesk run (it writes "
                    + ".aidesk/privacy-master-key), or set AIDESK_PRIVACY_MASTER_KEY (at least " + MIN_SECRET_LENGTH
                    + " characters; keep it: without it no sealed personal data opens again)");
        }
        return new MasterKey(secret, random);
    }

    byte[] wrap(String tenant, UUID keyId, SecretKey contactKey) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, tenant, keyId);
            byte[] sealed = cipher.doFinal(contactKey.getEncoded());
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap a contact's key", e);
        }
    }

    SecretKey unwrap(String tenant, UUID keyId, byte[] wrapped) {
        if (wrapped.length <= NONCE_BYTES) {
            throw new IllegalStateException("tenant " + tenant + "'s key " + keyId + " is not a wrapped key");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(wrapped, NONCE_BYTES), tenant, keyId);
            return new SecretKeySpec(cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES), "AES");
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the privacy master key does not open tenant " + tenant + "'s key " + keyId
                    + ": AI Desk runs with another aidesk.privacy.master-key than the one that wrapped it", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot unwrap a contact's key", e);
        }
    }

    /** Seals a secret other than a contact's key (a source's credentials), bound to what it is the secret of. */
    byte[] seal(String boundTo, byte[] secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = secretCipher(Cipher.ENCRYPT_MODE, nonce, boundTo);
            byte[] sealed = cipher.doFinal(secret);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret", e);
        }
    }

    byte[] open(String boundTo, byte[] sealed) {
        if (sealed.length <= NONCE_BYTES) {
            throw new IllegalStateException("the secret of " + boundTo + " is not a sealed secret");
        }
        try {
            Cipher cipher = secretCipher(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE_BYTES), boundTo);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the secret of " + boundTo + " does not open: it was moved or altered, or "
                    + "AI Desk runs with another aidesk.privacy.master-key than the one that sealed it", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open a secret", e);
        }
    }

    private Cipher secretCipher(int mode, byte[] nonce, String boundTo) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(("aidesk-secret:v1|" + boundTo).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private Cipher cipher(int mode, byte[] nonce, String tenant, UUID keyId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(("aidesk-key:v1|" + tenant + "|" + keyId).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
