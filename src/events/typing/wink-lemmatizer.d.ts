// Types for wink-lemmatizer (the package ships none): each function maps a lower-case word to its lemma.
declare module 'wink-lemmatizer' {
  const lemmatizer: {
    verb(word: string): string;
    noun(word: string): string;
    adjective(word: string): string;
  };
  export default lemmatizer;
}
