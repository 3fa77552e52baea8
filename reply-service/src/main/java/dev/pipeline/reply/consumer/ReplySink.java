package dev.pipeline.reply.consumer;

import java.sql.SQLException;
import java.util.List;

import dev.pipeline.reply.store.IncomingReply;
import dev.pipeline.reply.store.WriteResult;

/** Where a batch goes: all of it in one transaction, or none of it (then it throws). */
@FunctionalInterface
public interface ReplySink {
    WriteResult write(List<IncomingReply> replies, int unparseable) throws SQLException;
}
