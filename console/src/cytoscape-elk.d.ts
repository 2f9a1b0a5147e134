declare module "cytoscape-elk" {
  import type { Ext } from "cytoscape";
  const ext: Ext;
  // The package's own export shape (a default export), declared as it is.
  // eslint-disable-next-line no-restricted-syntax -- describes a third-party module, not our code
  export default ext;
}
