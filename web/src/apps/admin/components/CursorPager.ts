import type { Ref } from 'vue';

export interface CursorPagerProps {
  /** From useCursorPages: the page shown and the way to the ones beside it. */
  pages: {
    page: Readonly<Ref<number>>;
    hasPrevious: Readonly<Ref<boolean>>;
    hasNext: Readonly<Ref<boolean>>;
    previous(): Promise<void>;
    next(): Promise<void>;
  };
  /** Test id of the next button. */
  testid?: string;
}
