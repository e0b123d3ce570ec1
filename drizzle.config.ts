import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/control/db/schema.ts",
  out: "./migrations",
});
