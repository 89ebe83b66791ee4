// Block type ids of the scap savefile format (scap_savefile.h facts).

export const SHB = 0x0a0d0d0a;
export const SHB_MAGIC = 0x1a2b3c4d;
export const MI = 0x201, MI_INT = 0x8002abcd;
export const PL_V1 = 0x202, PL_V1_INT = 0x8000abcd, PL_V2 = 0x207, PL_V2_INT = 0x8013abcd,
  PL_V3 = 0x209, PL_V3_INT = 0x8014abcd, PL_V4 = 0x210, PL_V5 = 0x211, PL_V6 = 0x212, PL_V7 = 0x213,
  PL_V8 = 0x214, PL_V9 = 0x215;
export const FDL = 0x203, FDL_INT = 0x8001abcd, FDL_V2 = 0x218;
export const EV = 0x204, EV_INT = 0x8010abcd, EV_V2 = 0x216, EV_V2_LARGE = 0x221;
export const EVF = 0x208, EVF_V2 = 0x217, EVF_V2_LARGE = 0x222;
export const IL = 0x205, IL_INT = 0x8011abcd, IL_V2 = 0x219;
export const UL = 0x206, UL_INT = 0x8012abcd, UL_V2 = 0x220;
/** scry-private block recording per-CPU kernel drops; sysdig skips unknown blocks at the end. */
export const SCRY_DROPS = 0x5c500001;

/** Process list version (1..9) of a block type, or 0 if it is not a process list. */
export function procListVersion(t: number): number {
  switch (t) {
    case PL_V1: case PL_V1_INT: return 1;
    case PL_V2: case PL_V2_INT: return 2;
    case PL_V3: case PL_V3_INT: return 3;
    case PL_V4: return 4;
    case PL_V5: return 5;
    case PL_V6: return 6;
    case PL_V7: return 7;
    case PL_V8: return 8;
    case PL_V9: return 9;
    default: return 0;
  }
}

/** The block types that carry an event. */
export const EVENT_BLOCKS: readonly number[] = [EV, EV_INT, EV_V2, EV_V2_LARGE, EVF, EVF_V2, EVF_V2_LARGE];

export function isEventBlock(t: number): boolean {
  return EVENT_BLOCKS.includes(t);
}

/** Every block type of the format (not scry's private ones). */
export const KNOWN_BLOCKS: ReadonlySet<number> = new Set<number>([
  SHB, MI, MI_INT, PL_V1, PL_V1_INT, PL_V2, PL_V2_INT, PL_V3, PL_V3_INT, PL_V4, PL_V5, PL_V6, PL_V7, PL_V8, PL_V9,
  FDL, FDL_INT, FDL_V2, ...EVENT_BLOCKS, IL, IL_INT, IL_V2, UL, UL_INT, UL_V2,
]);
