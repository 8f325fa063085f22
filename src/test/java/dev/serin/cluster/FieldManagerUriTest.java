package dev.serin.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

class FieldManagerUriTest {
    @Test
    void addsTheManagerOnceKeepingOtherParameters() {
        assertEquals("https://k/apis/x?fieldManager=serin", FieldManager.withManager(URI.create("https://k/apis/x")).toString());
        assertEquals("https://k/apis/x?dryRun=All&fieldManager=serin",
                FieldManager.withManager(URI.create("https://k/apis/x?dryRun=All")).toString());
        assertEquals("https://k/apis/x?fieldManager=other",
                FieldManager.withManager(URI.create("https://k/apis/x?fieldManager=other")).toString());
    }
}
