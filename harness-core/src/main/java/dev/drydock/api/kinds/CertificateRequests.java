package dev.drydock.api.kinds;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

/**
 * Checks a CertificateSigningRequest's {@code spec.request} as kube does ({@code validateCSR}): a PEM block of type
 * {@code CERTIFICATE REQUEST} holding a PKCS#10 request whose signature verifies with its own public key. RSA,
 * ECDSA and Ed25519 requests are verified with the JDK; the errors are worded as Go's {@code encoding/pem} and
 * {@code crypto/x509} word them.
 */
final class CertificateRequests {

    private static final String RSA = "1.2.840.113549.1.1.1";
    private static final String EC = "1.2.840.10045.2.1";
    private static final String ED25519 = "1.3.101.112";

    /** Signature algorithm OIDs: the JDK's name for it and the key algorithm it needs. */
    private static final Map<String, String[]> SIGNATURES = Map.of(
            "1.2.840.113549.1.1.5", new String[] {"SHA1withRSA", RSA},
            "1.2.840.113549.1.1.11", new String[] {"SHA256withRSA", RSA},
            "1.2.840.113549.1.1.12", new String[] {"SHA384withRSA", RSA},
            "1.2.840.113549.1.1.13", new String[] {"SHA512withRSA", RSA},
            "1.2.840.10045.4.1", new String[] {"SHA1withECDSA", EC},
            "1.2.840.10045.4.3.2", new String[] {"SHA256withECDSA", EC},
            "1.2.840.10045.4.3.3", new String[] {"SHA384withECDSA", EC},
            "1.2.840.10045.4.3.4", new String[] {"SHA512withECDSA", EC},
            ED25519, new String[] {"Ed25519", ED25519});

    private CertificateRequests() {
    }

    /** Why the PEM bytes are not a valid certificate request, or null if they are. */
    static String check(byte[] pem) {
        byte[] der = pemBlock(new String(pem, StandardCharsets.ISO_8859_1), "CERTIFICATE REQUEST");
        if (der == null) {
            return "PEM block type must be CERTIFICATE REQUEST";
        }
        try {
            Der request = Der.read(der, 0);
            if (request.tag != 0x30 || request.end != der.length) {
                return "x509: malformed certificate request";
            }
            Der info = Der.read(der, request.contentStart);
            Der algorithm = Der.read(der, info.end);
            Der signature = Der.read(der, algorithm.end);
            if (info.tag != 0x30 || algorithm.tag != 0x30 || signature.tag != 0x03) {
                return "x509: malformed certificate request";
            }
            Der version = Der.read(der, info.contentStart);
            Der subject = Der.read(der, version.end);
            Der spki = Der.read(der, subject.end);
            Der keyAlgorithm = Der.read(der, spki.contentStart);
            String keyOid = Der.oid(der, Der.read(der, keyAlgorithm.contentStart));
            String signatureOid = Der.oid(der, Der.read(der, algorithm.contentStart));
            String[] sig = SIGNATURES.get(signatureOid);
            if (sig == null) {
                return "x509: cannot verify signature: algorithm unimplemented";
            }
            if (!sig[1].equals(keyOid)) {
                return "x509: signature algorithm specifies an " + (sig[1].equals(RSA) ? "RSA" : sig[1].equals(EC)
                        ? "ECDSA" : "Ed25519") + " public key, but have public key of type " + keyType(keyOid);
            }
            PublicKey key = KeyFactory.getInstance(keyAlgorithm(keyOid))
                    .generatePublic(new X509EncodedKeySpec(java.util.Arrays.copyOfRange(der, spki.start, spki.end)));
            Signature verifier = Signature.getInstance(sig[0]);
            verifier.initVerify(key);
            verifier.update(der, info.start, info.end - info.start);
            // a BIT STRING: the first content byte counts the unused bits (0 for signatures)
            byte[] bits = java.util.Arrays.copyOfRange(der, signature.contentStart + 1, signature.end);
            if (!verifier.verify(bits)) {
                return verificationFailure(keyOid);
            }
            return null;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return "x509: malformed certificate request";
        } catch (java.security.SignatureException e) {
            return verificationFailure(Der.safeKeyOid(der));
        } catch (GeneralSecurityException e) {
            return "x509: malformed public key";
        }
    }

    private static String verificationFailure(String keyOid) {
        return switch (keyOid) {
            case RSA -> "crypto/rsa: verification error";
            case EC -> "x509: ECDSA verification failure";
            default -> "x509: Ed25519 verification failure";
        };
    }

    private static String keyAlgorithm(String oid) {
        return switch (oid) {
            case RSA -> "RSA";
            case EC -> "EC";
            default -> "Ed25519";
        };
    }

    private static String keyType(String oid) {
        return switch (oid) {
            case RSA -> "*rsa.PublicKey";
            case EC -> "*ecdsa.PublicKey";
            case ED25519 -> "ed25519.PublicKey";
            default -> "<nil>";
        };
    }

    /** The bytes of the first PEM block if it has this type, as Go's {@code pem.Decode} finds it; else null. */
    static byte[] pemBlock(String text, String type) {
        int begin = text.indexOf("-----BEGIN ");
        if (begin < 0) {
            return null;
        }
        int typeEnd = text.indexOf("-----", begin + 11);
        if (typeEnd < 0 || !text.substring(begin + 11, typeEnd).equals(type)) {
            return null;
        }
        String end = "-----END " + type + "-----";
        int endAt = text.indexOf(end, typeEnd);
        if (endAt < 0) {
            return null;
        }
        StringBuilder body = new StringBuilder();
        for (String line : text.substring(typeEnd + 5, endAt).split("\r?\n")) {
            if (!line.contains(":")) { // PEM headers (Proc-Type: ...) are not part of the body
                body.append(line.trim());
            }
        }
        try {
            return Base64.getDecoder().decode(body.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** One DER element: where it starts, where its content starts, where it ends, and its tag. */
    private record Der(int tag, int start, int contentStart, int end) {

        static Der read(byte[] der, int at) {
            int tag = der[at] & 0xff;
            int len = der[at + 1] & 0xff;
            int content = at + 2;
            if (len > 0x80) {
                int n = len - 0x80;
                if (n > 4) {
                    throw new IllegalArgumentException("length too long");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (der[content + i] & 0xff);
                }
                content += n;
            } else if (len == 0x80) {
                throw new IllegalArgumentException("indefinite length");
            }
            if (len < 0 || content + len > der.length) {
                throw new IllegalArgumentException("truncated");
            }
            return new Der(tag, at, content, content + len);
        }

        /** The dotted form of an OBJECT IDENTIFIER element. */
        static String oid(byte[] der, Der e) {
            if (e.tag != 0x06 || e.end == e.contentStart) {
                throw new IllegalArgumentException("not an OID");
            }
            StringBuilder s = new StringBuilder();
            BigInteger value = BigInteger.ZERO;
            boolean first = true;
            for (int i = e.contentStart; i < e.end; i++) {
                int b = der[i] & 0xff;
                value = value.shiftLeft(7).or(BigInteger.valueOf(b & 0x7f));
                if ((b & 0x80) == 0) {
                    if (first) {
                        int v = value.intValue();
                        int x = Math.min(v / 40, 2);
                        s.append(x).append('.').append(v - 40 * x);
                        first = false;
                    } else {
                        s.append('.').append(value);
                    }
                    value = BigInteger.ZERO;
                }
            }
            return s.toString();
        }

        /** The public key algorithm of a request that parsed, for the wording of a failed verification. */
        static String safeKeyOid(byte[] der) {
            try {
                Der request = read(der, 0);
                Der info = read(der, request.contentStart);
                Der version = read(der, info.contentStart);
                Der subject = read(der, version.end);
                Der spki = read(der, subject.end);
                return oid(der, read(der, read(der, spki.contentStart).contentStart));
            } catch (RuntimeException e) {
                return RSA;
            }
        }
    }
}
