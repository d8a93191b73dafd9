// Vite bundles imported stylesheets; to TypeScript they are side-effect modules.
declare module '*.css';
// Vite bundles a module imported with `?worker&url` on its own and gives its URL (the AudioWorklet's module).
declare module '*?worker&url' {
  const url: string;
  export default url;
}
