package dev.topiary.kernels;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The threads a large GEMM may use: the calling thread plus up to {@code threads − 1} workers owned by
 * this object. Give one to each trainer or network that should run in parallel (see the
 * {@code Parallelism} overloads of {@link Kernels#gemmNT}); two trainers on two instances never compete
 * for a setting, as they would on the process-wide {@link Kernels#setThreads}.
 *
 * <p>The workers start at the first GEMM large enough to split and then wait for work, spinning for a
 * quarter of a millisecond before they park, so the back-to-back products of a training step do not pay a
 * thread wake-up each. Handing out work allocates nothing: the workers are told a task number, not
 * given a new task object. They are daemon threads of their own, or, with {@link #using}, long-running
 * tasks of an executor the embedder owns. {@link #close()} stops them.
 *
 * <p>One product runs on an instance at a time. A thread that calls while another product holds the
 * workers does its product alone; the result is the same, since GEMM results do not depend on the thread
 * count.
 */
public final class Parallelism implements AutoCloseable {

  /**
   * How long a waiting worker spins before it parks: longer than the gap between the products of a
   * training step (the elementwise work and the optimiser update between two GEMMs), so that they do not
   * each pay a wake-up of a parked thread, which on a virtual machine takes tens of microseconds, as
   * long as a whole small product. A worker that finds no work for this long parks until the next.
   */
  static final long SPIN_NANOS = 250_000;
  /** Spins between two reads of the clock while spinning. */
  private static final int SPINS_PER_CLOCK = 64;
  /** Spins of the calling thread waiting for the workers before it parks (a few microseconds). */
  private static final int SPINS = 1 << 12;

  private static final Parallelism SEQUENTIAL = new Parallelism(1, null);
  private static final Parallelism[] SHARED = new Parallelism[65];

  private final int threads;
  private final Executor executor;
  private final Worker[] workers;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicInteger pending = new AtomicInteger();
  private volatile boolean started;
  private volatile boolean closed;
  /**
   * The product handed to the workers: a serial number, incremented for each, times 2¹⁶ plus its task
   * count, in one field so that a worker reads both at once.
   */
  private volatile long job;
  private volatile IntConsumer body;
  private volatile Thread caller;
  private volatile Throwable failure;

  private Parallelism(int threads, Executor executor) {
    this.threads = threads;
    this.executor = executor;
    this.workers = new Worker[threads - 1];
  }

  /** Everything on the calling thread. */
  public static Parallelism sequential() {
    return SEQUENTIAL;
  }

  /**
   * Up to {@code threads} threads: the caller and {@code threads − 1} daemon workers of this instance,
   * started at first use. Close it when done.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static Parallelism ofThreads(int threads) {
    checkThreads(threads);
    return threads == 1 ? SEQUENTIAL : new Parallelism(threads, null);
  }

  /**
   * Up to {@code threads} threads: the caller and {@code threads − 1} workers that run as long-lived
   * tasks on {@code executor}, submitted at first use and occupying one of its threads each until
   * {@link #close()}. The executor must be able to run them all at once (a fixed pool of at least
   * {@code threads − 1}, or a cached or virtual-thread executor).
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static Parallelism using(Executor executor, int threads) {
    Objects.requireNonNull(executor, "executor");
    checkThreads(threads);
    return threads == 1 ? SEQUENTIAL : new Parallelism(threads, executor);
  }

  /**
   * A process-wide instance for {@code threads} threads, never closed, shared by everyone who asks for
   * the same count (the default of {@link Kernels#setThreads}). Counts above 64 are capped at 64.
   */
  public static Parallelism shared(int threads) {
    checkThreads(threads);
    int t = Math.min(threads, SHARED.length - 1);
    if (t == 1) {
      return SEQUENTIAL;
    }
    synchronized (SHARED) {
      if (SHARED[t] == null) {
        SHARED[t] = new Parallelism(t, null);
      }
      return SHARED[t];
    }
  }

  private static void checkThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, found " + threads);
    }
  }

  /** The most threads, the caller's included, a product may use. */
  public int threads() {
    return threads;
  }

  /**
   * Runs {@code body.accept(0..tasks−1)}, task 0 on the calling thread and the others on the workers,
   * and returns when all are done; a failure of any task is rethrown here. With more tasks than threads,
   * or while another product holds the workers, the tasks run one after another on the caller. For the
   * kernels' own use: {@code body} must be safe to run concurrently on distinct task numbers.
   */
  public void run(int tasks, IntConsumer body) {
    if (tasks <= 1 || tasks > threads || closed || !lock.tryLock()) {
      for (int t = 0; t < tasks; t++) {
        body.accept(t);
      }
      return;
    }
    try {
      dispatch(tasks, body);
    } finally {
      lock.unlock();
    }
  }

  private void dispatch(int tasks, IntConsumer body) {
    start();
    this.failure = null;
    this.caller = Thread.currentThread();
    this.body = body;
    pending.set(tasks - 1);
    job = ((job >>> 16) + 1) << 16 | tasks; // publishes the fields above to the workers
    for (int w = 0; w < tasks - 1; w++) {
      LockSupport.unpark(workers[w].thread);
    }
    Throwable own = null;
    try {
      body.accept(0);
    } catch (RuntimeException | Error e) {
      own = e;
    }
    for (int spin = 0; pending.get() != 0; spin++) {
      if (spin < SPINS) {
        Thread.onSpinWait();
      } else {
        LockSupport.park(this);
      }
    }
    this.body = null;
    Throwable failed = own != null ? own : failure;
    if (failed instanceof RuntimeException) {
      throw (RuntimeException) failed;
    }
    if (failed instanceof Error) {
      throw (Error) failed;
    }
  }

  private void start() {
    if (started) {
      return;
    }
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new Worker(w + 1);
    }
    if (executor == null) {
      ThreadFactory factory = r -> {
        Thread t = new Thread(r, "topiary-gemm-" + Integer.toHexString(System.identityHashCode(this)) + "-"
            + ((Worker) r).task);
        t.setDaemon(true);
        return t;
      };
      for (Worker w : workers) {
        factory.newThread(w).start();
      }
    } else {
      for (Worker w : workers) {
        executor.execute(w);
      }
    }
    // Wait until every worker has published its thread, so that dispatch can unpark it.
    for (Worker w : workers) {
      while (w.thread == null) {
        Thread.onSpinWait();
      }
    }
    started = true;
  }

  /** Stops the workers (they finish the product under way first). Idempotent; no-op when shared. */
  @Override
  public void close() {
    if (this == SEQUENTIAL || isShared()) {
      return;
    }
    lock.lock();
    try {
      closed = true;
      if (started) {
        for (Worker w : workers) {
          LockSupport.unpark(w.thread);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean isShared() {
    synchronized (SHARED) {
      for (Parallelism p : SHARED) {
        if (p == this) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Parallelism[" + threads + " threads" + (executor != null ? ", on an executor" : "") + "]";
  }

  /** One worker: runs task {@code task} of every product that has that many tasks. */
  private final class Worker implements Runnable {
    final int task;
    volatile Thread thread;

    Worker(int task) {
      this.task = task;
    }

    @Override
    public void run() {
      // Read the current product before publishing the thread: start() returns, and the first product
      // is handed out, only once every worker's thread is published, so that product is never "seen".
      long seen = job;
      thread = Thread.currentThread();
      while (true) {
        int spin = 0;
        long spinningSince = System.nanoTime();
        boolean spinning = true;
        long now;
        while ((now = job) == seen && !closed) {
          if (spinning) {
            Thread.onSpinWait();
            if (++spin % SPINS_PER_CLOCK == 0 && System.nanoTime() - spinningSince > SPIN_NANOS) {
              spinning = false;
            }
          } else {
            LockSupport.park(this);
          }
        }
        if (now == seen) {
          return; // closed
        }
        seen = now;
        if (task >= (int) (now & 0xFFFF)) {
          continue;
        }
        try {
          body.accept(task);
        } catch (Throwable e) {
          failure = e;
        }
        if (pending.decrementAndGet() == 0) {
          LockSupport.unpark(caller);
        }
      }
    }
  }
}
