package dev.serin.rest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What serin.api.auth=none answers: requests for this machine by address; changes only as JSON. */
class LocalRequestCheckTest {
    @Test
    void theHostMustBeThisMachineByAddressWithThePortTheRequestCameIn() {
        assertTrue(LocalRequestCheck.addressedHere("localhost:8080", 8080, false));
        assertTrue(LocalRequestCheck.addressedHere("LOCALHOST:8080", 8080, false));
        assertTrue(LocalRequestCheck.addressedHere("127.0.0.1:8080", 8080, false));
        assertTrue(LocalRequestCheck.addressedHere("[::1]:8080", 8080, false));
        assertTrue(LocalRequestCheck.addressedHere("localhost", 80, false), "no port: the scheme's");
        assertTrue(LocalRequestCheck.addressedHere("[::1]", 443, true));

        assertFalse(LocalRequestCheck.addressedHere(null, 8080, false));
        assertFalse(LocalRequestCheck.addressedHere("", 8080, false));
        assertFalse(LocalRequestCheck.addressedHere("localhost", 8080, false));
        assertFalse(LocalRequestCheck.addressedHere("localhost:8081", 8080, false));
        assertFalse(LocalRequestCheck.addressedHere("localhost:+8080", 8080, false));
        assertFalse(LocalRequestCheck.addressedHere("localhost:", 8080, false));
        assertFalse(LocalRequestCheck.addressedHere("evil.example:8080", 8080, false));
        assertFalse(LocalRequestCheck.addressedHere("localhost.evil.example:8080", 8080, false));
        assertFalse(LocalRequestCheck.addressedHere("app.localhost:8080", 8080, false));
        assertFalse(LocalRequestCheck.addressedHere("127.0.0.2:8080", 8080, false), "loopback, but not named");
        assertFalse(LocalRequestCheck.addressedHere("::1:8080", 8080, false), "IPv6 needs its brackets");
        assertFalse(LocalRequestCheck.addressedHere("[::1]:8080", -1, false), "no local port known");
    }

    @Test
    void aChangeMustBeJsonAndAReadNeedNotBe() {
        assertEquals(Optional.empty(), LocalRequestCheck.refusal("GET", "localhost:1", null, 1, false));
        assertEquals(Optional.empty(), LocalRequestCheck.refusal("HEAD", "localhost:1", null, 1, false));
        assertEquals(Optional.empty(), LocalRequestCheck.refusal("POST", "localhost:1", "application/json", 1, false));
        assertEquals(Optional.empty(), LocalRequestCheck.refusal("post", "localhost:1", "Application/JSON ; charset=utf-8", 1, false));
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
            for (String type : new String[] {null, "text/plain", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "application/json-seq", "application/jsonx"}) {
                assertEquals(415, LocalRequestCheck.refusal(method, "localhost:1", type, 1, false).orElseThrow().status(),
                        method + " " + type);
            }
        }
        assertEquals(403, LocalRequestCheck.refusal("GET", "evil.example:1", null, 1, false).orElseThrow().status());
        assertEquals(403, LocalRequestCheck.refusal("POST", "evil.example:1", "application/json", 1, false).orElseThrow()
                .status());
    }
}
