package dev.pipeline.processor.internal;

/** A worker thread's body: runs until {@link #stop()} (callable from any thread) or a fatal error. */
public interface WorkerLoop extends Runnable {

    void stop();
}
