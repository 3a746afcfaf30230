import { Page } from "../section.js";
export function mount(root) { return new Page(root, "people"); }
