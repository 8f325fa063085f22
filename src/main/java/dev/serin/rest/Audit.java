package dev.serin.rest;

import dev.serin.rest.auth.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** One log line per change made through the REST API, in category {@code serin.audit}. */
@ApplicationScoped
public class Audit {
    public static final String CATEGORY = "serin.audit";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    public void weightChanged(Caller who, String namespace, String name, Object oldWeight, Object newWeight) {
        LOG.infof("user=%s groups=%s action=set-weight canary=%s/%s weight=%s -> %s",
                who.username(), who.groups(), namespace, name, oldWeight, newWeight);
    }

    public void started(Caller who, String namespace, String name, String target, String version, Object weight) {
        LOG.infof("user=%s groups=%s action=start canary=%s/%s target=%s version=%s weight=none -> %s",
                who.username(), who.groups(), namespace, name, target, version, weight);
    }

    public void stopped(Caller who, String namespace, String name, Object oldWeight) {
        LOG.infof("user=%s groups=%s action=stop canary=%s/%s weight=%s -> stopped",
                who.username(), who.groups(), namespace, name, oldWeight);
    }

    public void requested(Caller who, String namespace, String name, String action, Object weight) {
        LOG.infof("user=%s groups=%s action=%s canary=%s/%s weight=%s",
                who.username(), who.groups(), action, namespace, name, weight);
    }
}
