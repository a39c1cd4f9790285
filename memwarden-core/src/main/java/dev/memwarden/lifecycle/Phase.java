package dev.memwarden.lifecycle;

/** The order a service shuts down in; steps of one phase run in the order they were added. */
public enum Phase {
    /** Stop taking new work: close listening sockets, refuse new clients. */
    STOP_ACCEPTING,
    /** Let work in flight finish: drain queues, wait for requests. */
    DRAIN,
    /** Say goodbye to connected clients: complete SSE streams, close WebSockets. */
    CLOSE_CLIENTS,
    /** Cancel timers and maintenance tasks. */
    STOP_TIMERS,
    /** Write out what is buffered: logs, metrics, spill files. */
    FLUSH,
    /** Release connections, pools, files, native handles. */
    CLOSE_RESOURCES
}
