/** One object or bucket tag. Tags travel through the code as lists of these, never as `k=v&…` strings. */
export interface Tag {
  readonly key: string;
  readonly value: string;
}
