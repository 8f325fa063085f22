package dev.serin.leader;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for {@link ProcessExit} in every test: records the exit instead of ending the test JVM. */
@Alternative
@Priority(1)
@Singleton
public class RecordingExit extends ProcessExit {
    public final List<Integer> codes = new CopyOnWriteArrayList<>();

    @Override
    public void now(int code, String why) {
        codes.add(code);
    }
}
