// Ground truth held in memory by an evaluation: every record's targets in shared 1 MiB
// Float64Array slabs and its instances' places in growable typed arrays, indexed by id. Holding a
// record costs 8 bytes per value, 12 bytes per instance, 5 bytes and one Map entry (its id): no
// object per record for the garbage collector to trace.

const SLAB_VALUES = 128 * 1024;

/** The targets of held ground-truth records (NaN = not observed), by the id they join on. */
export class GroundTruthStore {
  private readonly records = new Map<string, number>();
  private readonly slabs: Float64Array[] = [];
  /** The slab small instances are appended to, and how much of it is used. */
  private current = -1;
  private used = 0;
  private instanceSlab = new Int32Array(1024);
  private instanceOffset = new Int32Array(1024);
  private instanceLength = new Int32Array(1024);
  private instanceCount = 0;
  /** Instances allocated for the record being read, not yet added. */
  private pending = 0;
  private recordFirstInstance = new Int32Array(1024);
  private consumed = new Uint8Array(1024);
  private recordCount = 0;

  /** Number of records held. */
  get size(): number {
    return this.recordCount;
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  /**
   * Space for the next instance (target array) of the record being read; {@link add} then holds
   * the record, {@link discard} drops it (its space is not reused).
   */
  readonly allocate = (length: number): Float64Array => {
    let slab: number;
    let offset: number;
    if (length > SLAB_VALUES / 8) {
      slab = this.slabs.push(new Float64Array(length)) - 1;
      offset = 0;
    } else {
      if (this.current < 0 || this.used + length > SLAB_VALUES) {
        this.current = this.slabs.push(new Float64Array(SLAB_VALUES)) - 1;
        this.used = 0;
      }
      slab = this.current;
      offset = this.used;
      this.used += length;
    }
    const k = this.instanceCount + this.pending++;
    if (k >= this.instanceSlab.length) {
      this.instanceSlab = grow(this.instanceSlab);
      this.instanceOffset = grow(this.instanceOffset);
      this.instanceLength = grow(this.instanceLength);
    }
    this.instanceSlab[k] = slab;
    this.instanceOffset[k] = offset;
    this.instanceLength[k] = length;
    return this.slabs[slab].subarray(offset, offset + length);
  };

  /** Holds the record read since the last add/discard (its allocated instances) under `id`. */
  add(id: string): void {
    const r = this.recordCount++;
    if (r >= this.recordFirstInstance.length) {
      this.recordFirstInstance = grow(this.recordFirstInstance);
      this.consumed = grow(this.consumed);
    }
    this.recordFirstInstance[r] = this.instanceCount;
    this.instanceCount += this.pending;
    this.pending = 0;
    this.records.set(id, r);
  }

  /** Drops the record read since the last add/discard. */
  discard(): void {
    this.pending = 0;
  }

  /**
   * The targets of the record held under `id`, marking it consumed: `undefined` when there is none,
   * `null` when it was already taken.
   */
  take(id: string): Float64Array[] | null | undefined {
    const r = this.records.get(id);
    if (r === undefined) return undefined;
    if (this.consumed[r] === 1) return null;
    this.consumed[r] = 1;
    const first = this.recordFirstInstance[r];
    const end = r + 1 < this.recordCount ? this.recordFirstInstance[r + 1] : this.instanceCount;
    const targets = new Array<Float64Array>(end - first);
    for (let k = first; k < end; k++) {
      const offset = this.instanceOffset[k];
      targets[k - first] = this.slabs[this.instanceSlab[k]].subarray(offset, offset + this.instanceLength[k]);
    }
    return targets;
  }

  /** Number of held records not taken. */
  untaken(): number {
    let n = 0;
    for (let r = 0; r < this.recordCount; r++) if (this.consumed[r] === 0) n++;
    return n;
  }
}

function grow<T extends Int32Array | Uint8Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
