import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { App } from "./app/app.tsx";
import { createQueryClient, installApiListeners } from "./app/setup.ts";
import { bootstrapAuth } from "./auth/store.ts";
import "./styles/index.css";

bootstrapAuth();
const queryClient = createQueryClient();
installApiListeners(queryClient);

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
