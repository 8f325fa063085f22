package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Every write the strict server stored, in the order it stored them (it stores one write at a time): for tests that
 * check the order in which writes of different clients landed. A write that changed nothing is not one.
 */
public final class Written {
    /**
     * @param user        who wrote (the authenticated user name)
     * @param verb        create, update, patch or delete
     * @param subresource "status" for a status write, else null
     * @param object      the object as stored (as the response carried it)
     */
    public record Write(String user, String verb, String resource, String subresource, String namespace, String name,
            JsonNode object) {
        public boolean by(String who) {
            return who.equals(user);
        }
    }

    private final List<Write> writes = new ArrayList<>();

    synchronized void add(Write write) {
        writes.add(write);
    }

    /** The writes so far, oldest first. */
    public synchronized List<Write> all() {
        return List.copyOf(writes);
    }
}
