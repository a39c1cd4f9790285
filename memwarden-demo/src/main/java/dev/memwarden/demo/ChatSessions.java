package dev.memwarden.demo;

import com.github.benmanes.caffeine.cache.Cache;
import dev.memwarden.bounded.Caches;
import dev.memwarden.bounded.ResourceRegistry;
import dev.memwarden.bounded.RingBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Chat sessions, each with a memory of its recent messages that the assistant replies from. Bounded, a session
 * remembers its last {@value #REMEMBERED} messages and is dropped after {@link #IDLE} without a message, with all
 * sessions held under {@link #MAX_BYTES}. Leaking, every session is kept forever with its whole history: the map
 * nobody cleans up.
 */
final class ChatSessions {
    static final String NAME = "chat-sessions";
    static final int REMEMBERED = 20;
    static final Duration IDLE = Duration.ofSeconds(20);
    static final long MAX_BYTES = 8L << 20;

    /** One message as the service keeps it: the text and its tokens, which the assistant replies from. */
    static final class ChatMessage {
        final Instant at;
        final String text;
        final int[] tokens;

        ChatMessage(Instant at, String text, int[] tokens) {
            this.at = at;
            this.text = text;
            this.tokens = tokens;
        }

        long bytes() {
            return 64 + 2L * text.length() + 4L * tokens.length;
        }
    }

    private final @Nullable Cache<String, RingBuffer<ChatMessage>> bounded;
    private final Map<String, List<ChatMessage>> everSeen = new ConcurrentHashMap<>();

    ChatSessions(boolean leak, ResourceRegistry registry) {
        if (leak) {
            this.bounded = null;
            // What a team does first when memory climbs: put the suspect map under observation, unchanged.
            registry.watch(NAME, everSeen);
        } else {
            this.bounded = Caches.<String, RingBuffer<ChatMessage>>builder(NAME)
                    .expireAfterAccess(IDLE)
                    .maximumBytes(MAX_BYTES, (id, memory) -> (int) sessionBytes(memory))
                    .registry(registry)
                    .build();
        }
    }

    /** Adds a message and returns how many the session remembers. */
    int append(String session, String text) {
        ChatMessage message = new ChatMessage(Instant.now(), text, tokenize(text));
        Cache<String, RingBuffer<ChatMessage>> cache = bounded;
        if (cache == null) {
            List<ChatMessage> history = everSeen.computeIfAbsent(session, id -> new ArrayList<>());
            synchronized (history) {
                history.add(message);
                return history.size();
            }
        }
        RingBuffer<ChatMessage> memory = cache.get(
                session,
                id -> RingBuffer.builder().name("session").capacity(REMEMBERED).build());
        memory.add(message);
        cache.put(session, memory); // re-weigh the session now that it holds one more message
        return memory.size();
    }

    /** A stand-in for a real tokenizer: one token per four characters. */
    private static int[] tokenize(String text) {
        int[] tokens = new int[(text.length() + 3) / 4];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = text.hashCode() + i;
        }
        return tokens;
    }

    int sessions() {
        Cache<String, RingBuffer<ChatMessage>> cache = bounded;
        return cache == null ? everSeen.size() : (int) cache.estimatedSize();
    }

    private static long sessionBytes(RingBuffer<ChatMessage> memory) {
        long bytes = 64;
        for (ChatMessage m : memory.snapshot()) {
            bytes += m.bytes();
        }
        return bytes;
    }
}
